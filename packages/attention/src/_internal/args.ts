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

/**
 * A zero tensor of `shape` that stays connected to `inputs` in the autograd
 * graph (zero gradients), for empty inputs: no kernel touches an empty
 * tensor (tfjs-webgpu cannot upload one, tfjs-wasm's transpose divides by
 * zero on one), so the zeros and the gradients are made on the CPU side.
 */
export function connectedZeros(shape: number[], inputs: (tf.Tensor | null | undefined)[]): tf.Tensor {
  const xs = inputs.filter((t): t is tf.Tensor => !!t && t.dtype === 'float32');
  if (xs.length === 0) return tf.zeros(shape);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const ins = args.slice(0, xs.length) as tf.Tensor[];
    return { value: tf.zeros(shape), gradFunc: () => ins.map((x) => tf.zeros(x.shape)) };
  });
  return f(...xs) as tf.Tensor;
}

/** Checks an `int or [h, w]` size. */
export function checkPairSize(op: string, arg: string, v: unknown): [number, number] {
  return checkPair(op, arg, v, { integer: true, min: 1 });
}
