import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkNumber } from '../validate/values.js';
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
  /**
   * Threads for the wasm backend in Node (overrides `FOVEA_WASM_THREADS`):
   * above 1, tfjs-backend-wasm's threaded-SIMD build runs XNNPACK's matmuls
   * and convolutions on that many threads. Default 1 (single-threaded: two
   * test processes with 2 threads each would oversubscribe a 2-core
   * machine). Ignored outside Node and by other backends; if the threaded
   * build cannot start, the backend stays single-threaded and
   * {@link BackendInfo.summary} says why.
   */
  wasmThreads?: number;
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
  /** Threads the wasm backend runs on (1: single-threaded), `null` for the other backends. */
  wasmThreads: number | null;
  /** One line for logs: `backend wasm (webgpu skipped: no adapter)`, `backend wasm, 2 threads (forced)`. */
  summary: string;
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

function readEnv(name: 'FOVEA_BACKEND' | 'FOVEA_WASM_THREADS'): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.[name];
}

/** The requested wasm thread count: `options.wasmThreads`, else `FOVEA_WASM_THREADS`, else 1. */
function requestedThreads(opts: InitBackendOptions): number {
  if (opts.wasmThreads !== undefined) return checkNumber('initBackend', 'options.wasmThreads', opts.wasmThreads, { integer: true, min: 1 });
  const env = readEnv('FOVEA_WASM_THREADS')?.trim();
  if (env === undefined || env === '') return 1;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new FoveaError({ op: 'initBackend', arg: 'FOVEA_WASM_THREADS', expected: 'an integer >= 1', got: `'${env}'` });
  return n;
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

/** The Node-only threaded loader, behind a specifier bundlers leave alone (browser builds never include it). */
async function threadedLoader(): Promise<typeof import('./wasm-threads-node.js')> {
  const specifier = './wasm-threads-node.js';
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as typeof import('./wasm-threads-node.js');
}

/** Starts wasm (threaded when asked and possible); returns the thread count and, if threads were refused, why. */
async function startWasm(paths: InitBackendOptions['wasmPaths'], threads: number): Promise<{ threads: number; note: string | null }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (paths !== undefined) wasm.setWasmPaths(paths as string);
  let note: string | null = null;
  if (threads > 1 && !isNode()) note = `${threads} wasm threads requested: only in Node, running single-threaded`;
  else if (threads > 1) {
    try {
      const got = await (await threadedLoader()).startThreadedWasm(threads, () => verify('wasm'));
      registerWasmKernels();
      return { threads: got, note: got === threads ? null : `${threads} wasm threads requested, XNNPACK runs ${got}` };
    } catch (e) {
      note = `${threads} wasm threads requested, running single-threaded: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  await verify('wasm');
  registerWasmKernels();
  return { threads: 1, note };
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
  const threads = requestedThreads(opts);
  await ensureGradients();
  const env = readEnv('FOVEA_BACKEND');
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
      let wasmThreads: number | null = null;
      let note: string | null = null;
      if (name === 'webgpu') adapter = await startWebGPU(forced === 'webgpu' || !!opts.allowSoftwareWebGPU);
      else if (name === 'wasm') ({ threads: wasmThreads, note } = await startWasm(opts.wasmPaths, threads));
      else await startCpu();
      const notes = note === null ? skipped : [...skipped, note];
      const why = notes.length ? ` (${notes.join('; ')})` : '';
      const gpu = name === 'webgpu' && adapter ? ` on ${adapter.description || adapter.device || adapter.vendor}${adapter.isSoftware ? ' (software)' : ''}` : '';
      const mt = wasmThreads !== null && wasmThreads > 1 ? `, ${wasmThreads} threads` : '';
      return { backend: name, forced: !!forced, adapter, skipped, wasmThreads, summary: `backend ${name}${gpu}${mt}${forced ? ' (forced)' : ''}${why}` };
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
 * lacks, faster convolution gradients, PyTorch's answers for empty inputs)
 * and the gradients it corrects or adds over tfjs-core's, and says what it
 * got. In Node, the WebGPU globals come from the `webgpu` package, and the
 * wasm binaries load offline from node_modules; `wasmThreads` (or
 * `FOVEA_WASM_THREADS`) runs wasm multithreaded there. Calling it again
 * returns the first result.
 *
 * @example
 * ```ts
 * import { initBackend } from '@fovea/core';
 * const info = await initBackend();
 * console.log(info.summary); // e.g. "backend wasm (webgpu skipped: only a software adapter (llvmpipe))"
 * ```
 * In Node, for a benchmark or a long training (or set `FOVEA_WASM_THREADS=2`):
 * ```ts
 * const info = await initBackend({ backend: 'wasm', wasmThreads: 2 });
 * console.log(info.summary, info.wasmThreads); // "backend wasm, 2 threads (forced)" 2
 * ```
 * @category Backends
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (opts.wasmThreads !== undefined) checkNumber('initBackend', 'options.wasmThreads', opts.wasmThreads, { integer: true, min: 1 });
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
