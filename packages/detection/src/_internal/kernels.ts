/**
 * Private kernel plumbing: Fovea's own tfjs kernels (`FoveaRoIAlign`, …) run
 * as plain JavaScript on the CPU-memory backends (cpu, wasm, and any backend
 * whose `readSync` works) and as WGSL programs on WebGPU. Kernels are
 * registered lazily, on the first call of an op on a backend, so importing the
 * package has no side effects.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A typed array a kernel reads or writes. */
export type KernelArray = Float32Array | Int32Array | Uint8Array;

/** What a JS kernel body receives: the inputs and outputs as typed arrays. */
export type JsKernelBody = (inputs: KernelArray[], outputs: KernelArray[]) => void;

/** Shape and dtype of a kernel output. */
export interface OutputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): KernelArray;
}

interface SyncBackend {
  readSync(dataId: tf.DataId): unknown;
  write(values: KernelArray, shape: number[], dtype: tf.DataType): tf.DataId;
}

function isHeapBackend(b: unknown): b is HeapBackend {
  const x = b as Partial<HeapBackend>;
  return typeof x.makeOutput === 'function' && typeof x.typedArrayFromHeap === 'function';
}

/**
 * Runs a JS kernel body on a CPU-memory backend. On wasm the inputs are read
 * and the outputs written in place in the wasm heap (no copies); elsewhere
 * through `readSync` / `write`. Outputs start zeroed unless `zeroed` is false
 * (for bodies that write every element).
 */
export function runJsKernel(backend: unknown, inputs: tf.TensorInfo[], outputs: OutputSpec[], body: JsKernelBody, zeroed = true): tf.TensorInfo[] {
  if (isHeapBackend(backend)) {
    const infos = outputs.map((o) => backend.makeOutput(o.shape, o.dtype));
    // views are taken after every allocation: a malloc may grow (and detach) the heap
    const ins = inputs.map((t) => backend.typedArrayFromHeap(t));
    const outs = infos.map((t) => backend.typedArrayFromHeap(t));
    if (zeroed) outs.forEach((o) => o.fill(0));
    try {
      body(ins, outs);
    } catch (e) {
      // a body that rejects its input (a FoveaError) must not leave heap blocks behind
      infos.forEach((o) => (backend as unknown as { disposeData(id: tf.DataId): boolean }).disposeData(o.dataId));
      throw e;
    }
    return infos;
  }
  const b = backend as SyncBackend;
  const ins = inputs.map((t) => b.readSync(t.dataId) as KernelArray);
  const outs = outputs.map((o) => (o.dtype === 'int32' ? new Int32Array(size(o.shape)) : new Float32Array(size(o.shape))));
  body(ins, outs);
  return outputs.map((o, i) => ({ dataId: b.write(outs[i]!, o.shape, o.dtype), shape: o.shape, dtype: o.dtype }));
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
