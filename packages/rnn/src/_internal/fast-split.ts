/**
 * Splitting a tensor into equal parts along one axis, in time proportional
 * to its size. tfjs-backend-wasm 4.22's Slice (behind `tf.split` and
 * `tf.unstack`) first copies the **whole** input out of the wasm heap for
 * every slice, so unstacking a `[T, B, 4H]` tensor costs T times its size
 * (measured: 250 ms for T = 50, B = 32, 4H = 512). On wasm this registers,
 * on first use, a private kernel (core's `runJsKernel`) that copies each
 * part straight from the heap; other backends use `tf.split`, which is already proportional to the
 * output there. Used only inside the recurrent ops' custom gradients, where
 * no tape records it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { runJsKernel } from '@fovea/core';

const KERNEL = 'FoveaRnnSplit';

const splitKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const x = (inputs as { x: TensorInfo }).x;
  const { axis, num } = attrs as unknown as { axis: number; num: number };
  const shape = x.shape;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const part = n / num;
  const outShape = [...shape];
  outShape[axis] = part;
  const chunk = part * inner;
  const outputs = Array.from({ length: num }, () => ({ shape: outShape, dtype: 'float32' as const }));
  return runJsKernel(backend, [x], outputs, ([src], outs) => {
    for (let k = 0; k < num; k++) {
      const dst = outs[k]!;
      for (let o = 0; o < outer; o++) {
        const from = (o * n + k * part) * inner;
        dst.set(src!.subarray(from, from + chunk), o * chunk);
      }
    }
  }, { zeroed: false });
};

function wasmKernelUsable(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  if (tf.getKernel(KERNEL, 'wasm') === undefined) tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: splitKernel });
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
