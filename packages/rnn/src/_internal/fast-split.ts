/**
 * Splitting a tensor into equal parts along one axis, in time proportional
 * to its size. tfjs-backend-wasm 4.22's Slice (behind `tf.split` and
 * `tf.unstack`) first copies the **whole** input out of the wasm heap for
 * every slice, so unstacking a `[T, B, 4H]` tensor costs T times its size
 * (measured: 250 ms for T = 50, B = 32, 4H = 512). On wasm this registers,
 * on first use, a private kernel that copies each part straight from the
 * heap; other backends use `tf.split`, which is already proportional to the
 * output there. Used only inside the recurrent ops' custom gradients, where
 * no tape records it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const KERNEL = 'FoveaRnnSplit';

/** The parts of tfjs-backend-wasm's `BackendWasm` this kernel uses. */
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: { buffer: ArrayBufferLike } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const splitKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const x = (inputs as { x: TensorInfo }).x;
  const { axis, num } = attrs as unknown as { axis: number; num: number };
  const be = backend as unknown as WasmBackendLike;
  const shape = x.shape;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const part = n / num;
  const outShape = [...shape];
  outShape[axis] = part;
  // allocate first: an allocation may grow the heap and detach older views
  const outs = Array.from({ length: num }, () => be.makeOutput(outShape, 'float32'));
  const buf = be.wasm.wasmMemory?.buffer ?? be.wasm.HEAPU8.buffer;
  const view = (t: TensorInfo, size: number): Float32Array => new Float32Array(buf, be.dataIdMap.get(t.dataId)!.memoryOffset, size);
  const src = view(x, outer * n * inner);
  const chunk = part * inner;
  for (let k = 0; k < num; k++) {
    const dst = view(outs[k]!, outer * chunk);
    for (let o = 0; o < outer; o++) {
      const from = (o * n + k * part) * inner;
      dst.set(src.subarray(from, from + chunk), o * chunk);
    }
  }
  return outs;
};

function wasmKernelUsable(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  if (tf.getKernel(KERNEL, 'wasm') !== undefined) return true;
  const be = tf.backend() as unknown as Partial<WasmBackendLike>;
  if (!be.wasm?.HEAPU8 || typeof be.makeOutput !== 'function' || typeof be.dataIdMap?.get !== 'function') return false;
  tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: splitKernel });
  return true;
}

/**
 * `tf.split(x, num, axis)` into `num` equal float32 parts, each a new tensor,
 * O(size of x) on every backend.
 */
export function splitEven(x: tf.Tensor, num: number, axis: number): tf.Tensor[] {
  if (num === 1) return [tf.clone(x)];
  if (x.dtype === 'float32' && x.size > 0 && wasmKernelUsable()) {
    return tf.engine().runKernel(KERNEL, { x }, { axis, num }) as tf.Tensor[];
  }
  return tf.split(x, num, axis);
}

/** `tf.unstack(x, axis)`, O(size of x) on every backend. */
export function unstackFast(x: tf.Tensor, axis = 0): tf.Tensor[] {
  const n = x.shape[axis]!;
  const outShape = x.shape.filter((_, i) => i !== axis);
  return splitEven(x, n, axis).map((p) => tf.reshape(p, outShape));
}
