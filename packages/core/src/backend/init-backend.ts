import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { registerFoveaGradients } from './gradients/index.js';
import { registerCpuKernels, registerWasmKernels, registerWebGPUKernels } from './kernels/index.js';
import {
  describeWebGPUAdapter,
  getNodeWebGPUInstallError,
  installNodeWebGPU,
  type WebGPUAdapterDescription,
} from './webgpu-node.js';

/** The backends Fovea runs on. @category Backends */
export type BackendName = 'webgpu' | 'wasm' | 'cpu';

const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** Options for {@link initBackend}. @category Backends */
export interface InitBackendOptions {
  /** Force a backend (overrides `FOVEA_BACKEND`); a forced backend that fails to start throws. */
  backend?: BackendName;
  /** Where the browser finds tfjs-backend-wasm's `.wasm` files (a URL prefix or a file map); Node finds them in node_modules. */
  wasmPaths?: string | Record<string, string>;
  /** Pick WebGPU on a software adapter (lavapipe, SwiftShader) without forcing it; default `false`. */
  allowSoftwareWebGPU?: boolean;
}

/** What {@link initBackend} chose and why. @category Backends */
export interface BackendInfo {
  /** The backend now active. */
  backend: BackendName;
  /** Whether it was forced by an option or `FOVEA_BACKEND`. */
  forced: boolean;
  /** The WebGPU adapter, when the backend is `webgpu` (or one was found and skipped). */
  adapter: WebGPUAdapterDescription | null;
  /** Why the backends before it were skipped. */
  skipped: string[];
  /** One line for logs: `backend wasm (webgpu skipped: no adapter)`. */
  summary: string;
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

function readEnv(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.FOVEA_BACKEND;
}

function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  return typeof g.process?.versions?.node === 'string';
}

async function verify(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') resolved false`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tf.getBackend() is '${tf.getBackend()}' after setBackend('${name}')`);
  const y = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
  const v = await y.data();
  y.dispose();
  if (v[0] !== 4 || v[1] !== 6) throw new Error(`a test addition on '${name}' gave [${v[0]}, ${v[1]}]`);
}

async function startWebGPU(allowSoftware: boolean): Promise<WebGPUAdapterDescription> {
  if (isNode() && !(await installNodeWebGPU())) {
    const why = getNodeWebGPUInstallError();
    throw new Error(`no WebGPU in this Node (${why instanceof Error ? why.message : 'install the `webgpu` package'})`);
  }
  const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  if (!gpu) throw new Error('navigator.gpu is not available');
  const adapter = await describeWebGPUAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  if (adapter.isSoftware && !allowSoftware) {
    throw new Error(`only a software adapter (${adapter.description || adapter.device || adapter.vendor})`);
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  await verify('webgpu');
  registerWebGPUKernels();
  return adapter;
}

async function startWasm(paths: InitBackendOptions['wasmPaths']): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (paths !== undefined) wasm.setWasmPaths(paths as string);
  await verify('wasm');
  registerWasmKernels();
}

async function startCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await verify('cpu');
  registerCpuKernels();
}

/**
 * tfjs-core's CommonJS bundle, which Node loads, has no gradient functions
 * and no chained tensor methods (the `@tensorflow/tfjs` union bundle adds
 * them); register them once unless someone already did. Then Fovea's
 * gradients go over them: corrected ones (dilated convolutions, broadcast
 * matMul/squaredDifference/maximum/minimum/prelu, cumsum along a leading
 * axis) and missing ones (StridedSlice, GatherNd, ScatterNd, TopK, Cumprod,
 * conv3dTranspose, comparisons).
 */
async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Sum') === undefined) await import('#tfjs-extras');
  registerFoveaGradients();
}

async function start(opts: InitBackendOptions): Promise<BackendInfo> {
  await ensureGradients();
  const env = readEnv();
  const forcedName = opts.backend ?? (env ? env.trim().toLowerCase() : undefined);
  if (forcedName !== undefined && !BACKENDS.includes(forcedName as BackendName)) {
    throw new FoveaError({ op: 'initBackend', arg: opts.backend ? 'options.backend' : 'FOVEA_BACKEND', expected: "one of 'webgpu', 'wasm', 'cpu'", got: `'${forcedName}'` });
  }
  const forced = forcedName as BackendName | undefined;
  const order = forced ? [forced] : BACKENDS;
  const skipped: string[] = [];
  let adapter: WebGPUAdapterDescription | null = null;
  for (const name of order) {
    try {
      if (name === 'webgpu') adapter = await startWebGPU(forced === 'webgpu' || !!opts.allowSoftwareWebGPU);
      else if (name === 'wasm') await startWasm(opts.wasmPaths);
      else await startCpu();
      const why = skipped.length ? ` (${skipped.join('; ')})` : '';
      const gpu = name === 'webgpu' && adapter ? ` on ${adapter.description || adapter.device || adapter.vendor}${adapter.isSoftware ? ' (software)' : ''}` : '';
      return { backend: name, forced: !!forced, adapter, skipped, summary: `backend ${name}${gpu}${forced ? ' (forced)' : ''}${why}` };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (forced) {
        throw new FoveaError({ op: 'initBackend', arg: 'backend', expected: `'${forced}' to initialise`, got: msg });
      }
      skipped.push(`${name} skipped: ${msg}`);
    }
  }
  throw new FoveaError({ op: 'initBackend', arg: 'backend', expected: 'one backend to initialise', got: skipped.join('; ') });
}

/**
 * Chooses, starts and verifies the TensorFlow.js backend: `webgpu` when a
 * hardware adapter is present, else `wasm`, else `cpu`. `FOVEA_BACKEND`
 * (Node) or `options.backend` forces one (that is how the software WebGPU
 * adapters of CI and headless Chromium are used). It checks that
 * `tf.setBackend` resolved `true` and that a test op computes, registers the
 * kernels Fovea adds to that backend (the training kernels tfjs-backend-wasm
 * lacks, faster convolution gradients), and says what it got. In Node, the
 * WebGPU globals come from the `webgpu` package, and the wasm binaries load
 * offline from node_modules. Calling it again returns the first result.
 *
 * @example
 * ```ts
 * import { initBackend } from '@fovea/core';
 * const info = await initBackend();
 * console.log(info.summary); // e.g. "backend wasm (webgpu skipped: only a software adapter (llvmpipe))"
 * ```
 * @category Backends
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (current && (!opts.backend || opts.backend === current.backend)) return current;
  if (pending && !opts.backend) return pending;
  pending = start(opts);
  try {
    current = await pending;
    return current;
  } finally {
    pending = null;
  }
}

/**
 * What the last {@link initBackend} chose, or `null` before it ran.
 *
 * @example
 * ```ts
 * import { backendInfo } from '@fovea/core';
 * backendInfo()?.backend; // 'wasm'
 * ```
 * @category Backends
 */
export function backendInfo(): BackendInfo | null {
  return current;
}
