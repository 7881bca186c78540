/** Private helpers: argument checks shared by the attention ops. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkPair, describeValue, type Generator } from '@fovea/core';

/** Checks a boolean option. */
export function checkBool(op: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new FoveaError({ op, arg, expected: 'a boolean', got: describeValue(v) });
  return v;
}

/** Checks a positive integer size. */
export function checkSize(op: string, arg: string, v: unknown, min = 1): number {
  return checkNumber(op, arg, v, { integer: true, min });
}

/** Checks a probability in `[0, 1)` (dropout rates). */
export function checkRate(op: string, arg: string, v: unknown): number {
  return checkNumber(op, arg, v, { min: 0, lt: 1 });
}

/** Checks that `dim` is divisible by `by`. */
export function checkDivisible(op: string, arg: string, dim: number, by: number, byName: string): void {
  if (dim % by !== 0) {
    throw new FoveaError({ op, arg, expected: `divisible by ${byName} (${by})`, got: String(dim) });
  }
}

/** The generator option spread into a child's options, only when given. */
export function genOpt(generator: Generator | undefined): { generator?: Generator } {
  return generator ? { generator } : {};
}

/** Product of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
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

/** Checks an `int or [h, w]` size. */
export function checkPairSize(op: string, arg: string, v: unknown): [number, number] {
  return checkPair(op, arg, v, { integer: true, min: 1 });
}
