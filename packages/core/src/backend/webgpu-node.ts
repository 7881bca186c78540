/**
 * WebGPU in Node: installs the `webgpu` npm package (Dawn) as `navigator.gpu`
 * and describes the adapter it gives.
 *
 * No import-time side effects; `webgpu` is only loaded, dynamically, when
 * {@link installNodeWebGPU} runs in Node. On machines without a GPU, Dawn
 * needs Mesa's lavapipe 25.x (see `scripts/setup-webgpu.sh` and DESIGN.md,
 * "Backends"); with bookworm's Mesa 22.3 it finds no adapter.
 *
 * @module
 */

/** The little of `GPUAdapterInfo` read here (fields are getters in Dawn and browsers). */
interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/** The little of `GPUAdapter` used here; `requestAdapterInfo` is the pre-2024 API. */
interface AdapterLike {
  readonly info?: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}

/** The little of `GPU` (i.e. `navigator.gpu`) used here. */
interface GPULike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
}

/** The exports of the `webgpu` package (see its README and `types.d.ts`). */
interface WebGPUModule {
  create(options: string[]): GPULike;
  globals: Record<string, unknown>;
}

/**
 * What {@link describeWebGPUAdapter} reports about a WebGPU adapter.
 *
 * @category Backends
 */
export interface WebGPUAdapterDescription {
  /** Vendor, e.g. `"mesa"` for lavapipe, `"google"` for SwiftShader, `"nvidia"`. */
  vendor: string;
  /** Architecture, e.g. `"software"` for lavapipe, `"swiftshader"`, `"ampere"`. */
  architecture: string;
  /** Device, e.g. `"llvmpipe-llvm-15-0-6-256-bits-"` for lavapipe. */
  device: string;
  /** Driver description, e.g. `"llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1"`. */
  description: string;
  /** Whether WebGPU itself flags the adapter as a fallback (software/low-capability) adapter. */
  isFallbackAdapter: boolean;
  /**
   * Whether the adapter is a software rasteriser (lavapipe/llvmpipe,
   * SwiftShader, WARP, or any fallback adapter): correct, but no GPU speed.
   */
  isSoftware: boolean;
}

type NavigatorHolder = { navigator?: { gpu?: unknown } };

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|\bsoftware\b|basic render driver|\bwarp\b/i;

let installing: Promise<boolean> | undefined;
let installError: unknown;

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

function hasNavigatorGPU(): boolean {
  return (globalThis as NavigatorHolder).navigator?.gpu != null;
}

/** Sets `globalThis.navigator.gpu`, whatever shape `navigator` has in this Node. */
function setNavigatorGPU(gpu: GPULike): void {
  const g = globalThis as NavigatorHolder;
  const existing = g.navigator;
  // Node >= 21 has an extensible `Navigator` object behind a getter on
  // globalThis: add `gpu` to it. Node 20 has no `navigator` at all.
  if (existing != null && Object.isExtensible(existing)) {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
    if (existing.gpu === gpu) return;
  }
  // No navigator, or one we cannot extend: define our own on globalThis,
  // carrying over what the old one exposed. defineProperty also replaces an
  // accessor (getter-only `navigator`), where plain assignment would throw.
  const replacement: Record<string, unknown> = {};
  // Navigator's fields are (non-enumerable) getters on its prototype chain.
  for (let o: object | null = existing ?? null; o != null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || key in replacement) continue;
      try {
        replacement[key] = (existing as Record<string, unknown>)[key];
      } catch {
        // A getter that does not work here: leave it out.
      }
    }
  }
  replacement['gpu'] = gpu;
  Object.defineProperty(globalThis, 'navigator', {
    value: replacement,
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

async function install(): Promise<boolean> {
  // A variable specifier keeps bundlers from trying to pack the native
  // `webgpu` package into browser builds; it is only ever loaded in Node.
  const specifier = 'webgpu';
  const mod = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as Partial<WebGPUModule>;
  if (typeof mod.create !== 'function' || mod.globals == null || typeof mod.globals !== 'object') {
    throw new Error("the 'webgpu' package does not export create() and globals (expected webgpu 0.6.x)");
  }
  // GPUBufferUsage, GPUMapMode, GPUTextureUsage, GPUShaderStage, the GPU*
  // classes...: tfjs-backend-webgpu uses them as globals. Do not clobber any
  // that something else already defined.
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
    }
  }
  // Dawn stays alive as long as this object is referenced; with webgpu 0.6.2
  // that does not keep Node from exiting.
  setNavigatorGPU(mod.create([]));
  return hasNavigatorGPU();
}

/**
 * Makes WebGPU available to TensorFlow.js in Node: if `navigator.gpu` is
 * absent, loads the `webgpu` package (Dawn) and installs `navigator.gpu =
 * create([])` and the package's `globals` (`GPUBufferUsage`, `GPUMapMode`,
 * ...) on `globalThis`. Outside Node, or when `navigator.gpu` already exists,
 * it installs nothing.
 *
 * Call it, and await it, **before** importing `@tensorflow/tfjs-backend-webgpu`
 * (which registers the `webgpu` backend only if `navigator.gpu` exists at
 * import time), and import that package dynamically afterwards. Safe to call
 * more than once. It never throws: if `webgpu` is not installed or fails to
 * load, it resolves `false` and {@link getNodeWebGPUInstallError} says why.
 *
 * `navigator.gpu` being there does not mean an adapter exists: use
 * {@link describeWebGPUAdapter}, and check that `tf.setBackend('webgpu')`
 * resolves `true`. On a machine without a GPU, first run
 * `scripts/setup-webgpu.sh` and `source .cache/lavapipe/env.sh`.
 *
 * @returns Whether `navigator.gpu` is available now.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { installNodeWebGPU } from '@fovea/core';
 *
 * if (await installNodeWebGPU()) {
 *   await import('@tensorflow/tfjs-backend-webgpu'); // after navigator.gpu exists
 *   const ok = await tf.setBackend('webgpu'); // false if no adapter could be created
 *   console.log(ok ? 'on webgpu' : 'webgpu failed to initialise');
 * }
 * ```
 * @category Backends
 */
export async function installNodeWebGPU(): Promise<boolean> {
  if (hasNavigatorGPU()) return true;
  if (!isNode()) return false;
  installing ??= install().then(
    (ok) => {
      installError = undefined;
      return ok;
    },
    (error: unknown) => {
      installError = error;
      installing = undefined; // allow a retry (e.g. after installing the package)
      return false;
    },
  );
  return installing;
}

/**
 * Why the last {@link installNodeWebGPU} resolved `false` because `webgpu`
 * could not be loaded (e.g. the package is not installed, or its native
 * `dawn.node` failed to load); `undefined` otherwise.
 *
 * @example
 * ```ts
 * import { installNodeWebGPU, getNodeWebGPUInstallError } from '@fovea/core';
 *
 * if (!(await installNodeWebGPU())) console.warn('no WebGPU:', getNodeWebGPUInstallError());
 * ```
 * @category Backends
 */
export function getNodeWebGPUInstallError(): unknown {
  return installError;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Requests a WebGPU adapter (as tfjs-backend-webgpu does, `powerPreference:
 * 'high-performance'`) and describes it. In Node it first calls
 * {@link installNodeWebGPU}. Resolves `null` when there is no `navigator.gpu`
 * or no adapter (e.g. Dawn on a Mesa older than 25 without a GPU).
 *
 * `isSoftware` is `true` for fallback adapters and for software rasterisers
 * recognised by name. Mesa's lavapipe (via Dawn) reports vendor `"mesa"`,
 * architecture `"software"`, device `"llvmpipe-llvm-15-0-6-256-bits-"`,
 * description `"llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1"` and
 * `isFallbackAdapter: true`; Chromium's SwiftShader reports architecture
 * `"swiftshader"`.
 *
 * @example
 * ```ts
 * import { describeWebGPUAdapter } from '@fovea/core';
 *
 * const adapter = await describeWebGPUAdapter();
 * if (adapter === null) console.log('no WebGPU adapter');
 * else console.log(`${adapter.description} (${adapter.isSoftware ? 'software' : 'hardware'})`);
 * ```
 * @category Backends
 */
export async function describeWebGPUAdapter(): Promise<WebGPUAdapterDescription | null> {
  if (!hasNavigatorGPU() && !(await installNodeWebGPU())) return null;
  const gpu = (globalThis as NavigatorHolder).navigator?.gpu as GPULike | undefined;
  if (gpu == null || typeof gpu.requestAdapter !== 'function') return null;
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return null;
  }
  if (adapter == null) return null;

  let info: AdapterInfoLike | undefined = adapter.info;
  if (info == null && typeof adapter.requestAdapterInfo === 'function') {
    try {
      info = await adapter.requestAdapterInfo();
    } catch {
      info = undefined;
    }
  }
  // Read each field explicitly: they are prototype getters, not own properties.
  const vendor = str(info?.vendor);
  const architecture = str(info?.architecture);
  const device = str(info?.device);
  const description = str(info?.description);
  const isFallbackAdapter = info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  const isSoftware =
    isFallbackAdapter || [vendor, architecture, device, description].some((s) => SOFTWARE_ADAPTER.test(s));
  return { vendor, architecture, device, description, isFallbackAdapter, isSoftware };
}
