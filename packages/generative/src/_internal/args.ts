/** Private helpers: argument checks shared by the generative models. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, describeValue, formatShape, type Generator } from '@fovea/core';

/** Checks a boolean option. */
export function checkBool(op: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new FoveaError({ op, arg, expected: 'a boolean', got: describeValue(v) });
  return v;
}

/** Checks a positive integer size (or `>= min`). */
export function checkSize(op: string, arg: string, v: unknown, min = 1): number {
  return checkNumber(op, arg, v, { integer: true, min });
}

/** Checks a list of positive integer sizes (hidden widths). */
export function checkSizes(op: string, arg: string, v: unknown, min = 1): number[] {
  if (!Array.isArray(v)) throw new FoveaError({ op, arg, expected: 'an array of positive integers', got: describeValue(v) });
  return v.map((d, i) => checkNumber(op, `${arg}[${i}]`, d, { integer: true, min }));
}

/** Checks an image shape `[H, W, C]`. */
export function checkImageShape(op: string, arg: string, v: unknown): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) {
    throw new FoveaError({ op, arg, expected: 'an image shape [H, W, C]', got: describeValue(v) });
  }
  return [checkSize(op, `${arg}[0]`, v[0]), checkSize(op, `${arg}[1]`, v[1]), checkSize(op, `${arg}[2]`, v[2])];
}

/** The generator option spread into a child's options, only when given. */
export function genOpt(generator: Generator | undefined): { generator?: Generator } {
  return generator ? { generator } : {};
}

/** Product of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks that `x` is a float32 batch whose dims after the first are `shape` (`[N, ...shape]`); returns N. */
export function checkBatchOf(op: string, arg: string, x: unknown, shape: readonly number[]): number {
  if (!(x instanceof tf.Tensor) || x.isDisposed || x.dtype !== 'float32' || x.rank !== shape.length + 1 || shape.some((d, i) => x.shape[i + 1] !== d)) {
    const got = x instanceof tf.Tensor ? (x.isDisposed ? 'a disposed tensor' : `${x.dtype} shape ${formatShape(x.shape)}`) : describeValue(x);
    throw new FoveaError({ op, arg, expected: `float32 of shape ${formatShape(['N', ...shape])}`, got });
  }
  return x.shape[0]!;
}

/**
 * A zero tensor of `shape` that stays connected to `inputs` in the autograd
 * graph (gradient zero), for empty inputs where kernels cannot run.
 */
export function connectedZeros(shape: number[], inputs: (tf.Tensor | null | undefined)[]): tf.Tensor {
  return tf.tidy(() => {
    let z: tf.Tensor = tf.zeros(shape);
    for (const t of inputs) {
      if (!t || t.dtype !== 'float32') continue;
      const s = t.size === 0 ? tf.zeros([]) : tf.sum(t);
      z = tf.add(z, tf.mul(s, 0));
    }
    return z;
  });
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Sums every dim but the first: `[N, ...]` → `[N]` (a `[N]` zero for `N·D = 0`, connected to the graph). */
export function sumPerItem(x: tf.Tensor): tf.Tensor {
  if (x.rank === 1) return x;
  if (x.size === 0) return connectedZeros([x.shape[0]!], [x]);
  return tf.sum(x, Array.from({ length: x.rank - 1 }, (_, i) => i + 1));
}

/** The mean of `[N]` values (NaN for `N = 0`, as PyTorch's mean of nothing), connected to the graph. */
export function meanOrNaN(x: tf.Tensor): tf.Tensor {
  if (x.size === 0) return tf.add(connectedZeros([], [x]), NaN);
  return tf.mean(x);
}
