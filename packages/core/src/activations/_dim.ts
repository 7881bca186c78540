/** Private helpers for ops that work along one dimension. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkNumber } from '../validate/values.js';

/** Validates `dim` for a tensor of rank `rank` (≥ 1) and returns it non-negative. @internal */
export function normalizeDim(op: string, arg: string, dim: unknown, rank: number): number {
  if (rank === 0) throw new FoveaError({ op, arg: 'x', expected: 'rank >= 1', got: 'a scalar (rank 0)' });
  const d = checkNumber(op, arg, dim, { integer: true, min: -rank, max: rank - 1 });
  return d < 0 ? d + rank : d;
}

/**
 * Applies `fn` (which works along the last axis) along axis `dim` by moving
 * that axis last and back. @internal
 */
export function alongDim(x: tf.Tensor, dim: number, fn: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  const last = x.rank - 1;
  if (dim === last) return fn(x);
  const perm = [...Array(x.rank).keys()];
  perm[dim] = last;
  perm[last] = dim; // a swap is its own inverse
  return tf.transpose(fn(tf.transpose(x, perm)), perm);
}
