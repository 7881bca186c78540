/** Private validation helpers shared by the point-cloud and mesh ops. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, formatShape } from '@fovea/core';

/**
 * Per-cloud point counts of a padded batch: an int32 tensor `[B]` or a plain
 * array of integers (PyTorch3D's `lengths`).
 *
 * @category Point clouds
 */
export type LengthsInput = tf.Tensor | readonly number[];

/**
 * Checks a `lengths` option against `B` clouds of at most `P` points and
 * returns it as a new int32 tensor `[B]` (the caller disposes it), or null.
 * Plain arrays are range-checked here; tensor values are trusted (reading
 * them would make the op asynchronous).
 */
export function lengthsTensor(op: string, arg: string, lengths: LengthsInput | null | undefined, B: number, P: number): tf.Tensor | null {
  if (lengths === null || lengths === undefined) return null;
  if (Array.isArray(lengths) || ArrayBuffer.isView(lengths)) {
    const arr = Array.from(lengths as ArrayLike<number>);
    if (arr.length !== B) throw new FoveaError({ op, arg, expected: `${B} lengths (one per cloud)`, got: `${arr.length}` });
    arr.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 0 || n > P) {
        throw new FoveaError({ op, arg: `${arg}[${i}]`, expected: `an integer in [0, ${P}]`, got: String(n) });
      }
    });
    return tf.tensor1d(arr, 'int32');
  }
  checkTensor(op, arg, lengths, { shape: [B], dtype: ['int32', 'float32'] });
  return lengths.dtype === 'int32' ? tf.clone(lengths) : tf.cast(lengths, 'int32');
}

/** Checks that `x` is a float32 point batch `[B, P, D]` (binding B and D in `dims`). */
export function checkPoints(op: string, arg: string, x: unknown, dims: Record<string, number>, pName = 'P'): asserts x is tf.Tensor {
  checkTensor(op, arg, x, { shape: ['B', pName, 'D'], dtype: 'float32' }, dims);
}

/** Checks an integer option. */
export function checkInt(op: string, arg: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new FoveaError({ op, arg, expected: `an integer ${range}`, got: String(v) });
  }
  return v;
}

/** Checks a boolean option. */
export function checkBoolean(op: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new FoveaError({ op, arg, expected: 'true or false', got: String(v) });
  return v;
}

/** `shape [a, b]` for messages. */
export function shapeOf(x: tf.Tensor): string {
  return `shape ${formatShape(x.shape)}`;
}
