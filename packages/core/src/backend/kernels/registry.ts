import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The kernels Fovea registered, by `backend/kernel`, with what they replaced. */
const installed = new Map<string, { ours: KernelFunc; original: KernelConfig | undefined }>();

const key = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/**
 * Registers `make(original)` as the kernel `kernelName` of `backendName`,
 * replacing (and keeping) the kernel registered before. Idempotent: a second
 * call for the same kernel is a no-op while ours is still the registered one.
 * The replaced kernel's setupFunc/disposeFunc are carried over, so that a
 * re-initialised backend still sets up the original's module state.
 */
export function overrideKernel(
  kernelName: string,
  backendName: string,
  make: (original: KernelFunc | undefined) => KernelFunc,
): void {
  const k = key(kernelName, backendName);
  const current = getKernel(kernelName, backendName) as KernelConfig | undefined;
  const prev = installed.get(k);
  if (prev !== undefined && current !== undefined && current.kernelFunc === prev.ours) return;
  const original = current;
  const ours = make(original?.kernelFunc);
  if (current !== undefined) unregisterKernel(kernelName, backendName);
  const config: KernelConfig = { kernelName, backendName, kernelFunc: ours };
  if (original?.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original?.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  registerKernel(config);
  installed.set(k, { ours, original });
}

/** The kernel that was registered before Fovea's, else the registered one. */
export function baseKernel(kernelName: string, backendName: string): KernelFunc {
  const k = installed.get(key(kernelName, backendName));
  const cfg = k !== undefined ? k.original : (getKernel(kernelName, backendName) as KernelConfig | undefined);
  if (cfg === undefined) throw new Error(`Fovea kernels: no '${kernelName}' kernel for backend '${backendName}'`);
  return cfg.kernelFunc;
}

/** Runs `kernelName`'s base kernel (see {@link baseKernel}) and returns its single output. */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: object,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const out = baseKernel(kernelName, backendName)({ inputs, backend, attrs });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

/** Runs the kernel registered now for `kernelName` (Fovea's, when it replaced one) and returns its single output. */
export function callRegistered(
  kernelName: string,
  backendName: string,
  backend: object,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const cfg = getKernel(kernelName, backendName) as KernelConfig | undefined;
  if (cfg === undefined) throw new Error(`Fovea kernels: no '${kernelName}' kernel for backend '${backendName}'`);
  const out = cfg.kernelFunc({ inputs, backend, attrs });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

/** Names of the kernels Fovea has registered for `backendName`. */
export function foveaKernels(backendName: string): string[] {
  const names: string[] = [];
  for (const k of installed.keys()) if (k.startsWith(`${backendName}/`)) names.push(k.slice(backendName.length + 1));
  return names.sort();
}
