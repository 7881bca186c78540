/**
 * Private kernel plumbing: Fovea's own tfjs kernels (`FoveaRoIAlign`, …) run
 * as plain JavaScript on the CPU-memory backends (cpu, wasm, and any backend
 * whose `readSync` works) and as WGSL programs on WebGPU. Kernels are
 * registered lazily, on the first call of an op on a backend, so importing the
 * package has no side effects.
 */
import * as tf from '@tensorflow/tfjs-core';
import { runJsKernel as runCoreJsKernel, type KernelArray } from '@fovea/core';

export type { KernelArray };

/** What a JS kernel body receives: the inputs and outputs as typed arrays. */
export type JsKernelBody = (inputs: KernelArray[], outputs: KernelArray[]) => void;

/** Shape and dtype of a kernel output. */
export interface OutputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

/**
 * Runs a JS kernel body on a CPU-memory backend with core's `runJsKernel`:
 * on wasm the inputs are read and the outputs written in place in the wasm
 * heap, on cpu in the backend's own arrays (no copies); elsewhere through
 * `readSync` / `write`. Outputs start zeroed unless `zeroed` is false (for
 * bodies that write every element); a body that throws (a FoveaError) leaves
 * no outputs behind.
 */
export function runJsKernel(backend: unknown, inputs: tf.TensorInfo[], outputs: OutputSpec[], body: JsKernelBody, zeroed = true): tf.TensorInfo[] {
  return runCoreJsKernel(backend as object, inputs, outputs, body, { zeroed });
}

/** Number of elements of a shape. */
export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Per-backend implementations of one kernel. */
export interface KernelImpls {
  /** WGSL implementation for the `webgpu` backend (else the op falls back where it can). */
  webgpu?: tf.KernelFunc;
  /** JS implementation for every other backend (cpu, wasm, …). */
  js: tf.KernelFunc;
}

/** Whether the active backend is WebGPU (GPU-resident data: no synchronous reads). */
export function onWebGPU(): boolean {
  return tf.getBackend() === 'webgpu';
}

/**
 * Registers `name` for the active backend if it is not registered yet and
 * says whether a kernel is available there.
 */
export function ensureKernel(name: string, impls: KernelImpls): boolean {
  const backendName = tf.getBackend();
  if (tf.getKernel(name, backendName) !== undefined) return true;
  const kernelFunc = backendName === 'webgpu' ? impls.webgpu : impls.js;
  if (!kernelFunc) return false;
  tf.registerKernel({ kernelName: name, backendName, kernelFunc });
  return true;
}

/** Runs a registered kernel through the engine (the tape sees it only inside a customGrad). */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}
