import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, describeValue } from '@fovea/core';
import { oneHot } from '../_internal/one-hot.js';

/** One change of a latent dimension for {@link editLatents}: set it to `value`, or add `delta` (or both: set, then add). @category Latent space */
export interface LatentEdit {
  /** The latent dimension, `0 ≤ dim < Z`. */
  dim: number;
  /** New value of that dimension; default: keep it. */
  value?: number;
  /** Amount added to that dimension; default 0. */
  delta?: number;
}

/**
 * Latent editing — encode, change some dimensions, decode: returns a copy of
 * the codes with the given dimensions set and/or shifted (every row alike).
 * To edit along a direction (an attribute vector such as "mean code of
 * thick digits − mean code of thin ones"), add a scaled `[Z]` tensor instead.
 *
 * @param z float32 `[N, Z]` codes (e.g. a VAE's posterior means).
 * @param edits the changes, applied in order.
 * @returns `[N, Z]` edited codes.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { editLatents } from '@fovea/generative';
 * editLatents(tf.tensor2d([[0, 1, 2]]), [{ dim: 0, value: 5 }, { dim: 2, delta: -1 }]).print(); // [[5, 1, 1]]
 * ```
 * @category Latent space
 */
export function editLatents(z: tf.Tensor, edits: readonly LatentEdit[]): tf.Tensor {
  const op = 'editLatents';
  checkTensor(op, 'z', z, { rank: 2, dtype: 'float32' });
  if (!Array.isArray(edits)) throw new FoveaError({ op, arg: 'edits', expected: 'an array of { dim, value?, delta? }', got: describeValue(edits) });
  const zd = z.shape[1]!;
  const keep = new Float32Array(zd).fill(1);
  const add = new Float32Array(zd);
  edits.forEach((e, i) => {
    const dim = checkNumber(op, `edits[${i}].dim`, e?.dim, { integer: true, min: 0, max: zd - 1 });
    if (e.value !== undefined) {
      keep[dim] = 0;
      add[dim] = checkNumber(op, `edits[${i}].value`, e.value);
    }
    if (e.delta !== undefined) add[dim] += checkNumber(op, `edits[${i}].delta`, e.delta);
  });
  return tf.tidy(() => tf.add(tf.mul(z, tf.tensor1d(keep)), tf.tensor1d(add))); // [N, Z]
}

/**
 * A latent traversal: copies of one code with dimension `dim` swept through
 * `values` — decode it for a row of an editing grid (what one latent unit does).
 *
 * @param z float32 `[Z]` one code.
 * @param dim the dimension to sweep.
 * @param values its values, e.g. `[-3, -1.5, 0, 1.5, 3]`.
 * @returns `[V, Z]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { latentTraversal } from '@fovea/generative';
 * latentTraversal(tf.tensor1d([0, 7]), 0, [-1, 1]).print(); // [[-1, 7], [1, 7]]
 * ```
 * @category Latent space
 */
export function latentTraversal(z: tf.Tensor, dim: number, values: readonly number[]): tf.Tensor {
  const op = 'latentTraversal';
  checkTensor(op, 'z', z, { rank: 1, dtype: 'float32' });
  const d = checkNumber(op, 'dim', dim, { integer: true, min: 0, max: z.shape[0]! - 1 });
  if (!Array.isArray(values) || values.length === 0) throw new FoveaError({ op, arg: 'values', expected: 'a non-empty array of numbers', got: describeValue(values) });
  values.forEach((v, i) => checkNumber(op, `values[${i}]`, v));
  return tf.tidy(() => {
    const rows = tf.tile(tf.expandDims(z, 0), [values.length, 1]); // [V, Z]
    const onDim = oneHot(tf.fill([values.length], d, 'int32'), z.shape[0]!); // [V, Z]
    const vals = tf.reshape(tf.tensor1d(values as number[]), [-1, 1]); // [V, 1]
    return tf.add(tf.mul(rows, tf.sub(1, onDim)), tf.mul(onDim, vals));
  });
}
