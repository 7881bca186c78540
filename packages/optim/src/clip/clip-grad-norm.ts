import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, describeValue } from '@fovea/core';
import { unpackGrads, type GradList } from '../_internal/grad-list.js';

/** What {@link clipGradNorm} returns. @category Clipping */
export interface ClipGradNormResult<T extends GradList> {
  /** The clipped gradients, new tensors in the same structure and shapes as the input (the caller disposes them). */
  grads: T;
  /** `[]` the total norm of all gradients **before** clipping (the caller disposes it). */
  totalNorm: tf.Scalar;
}

/** @internal Checks a norm type and returns it as a number (`Infinity` for `'inf'`). */
export function normOrder(op: string, normType: unknown): number {
  if (normType === 'inf' || normType === Infinity) return Infinity;
  if (typeof normType === 'number' && Number.isFinite(normType) && normType > 0) return normType;
  throw new FoveaError({ op, arg: 'normType', expected: "a number > 0 or 'inf'", got: describeValue(normType) });
}

/**
 * Clips gradients by their total norm, as PyTorch's
 * `torch.nn.utils.clip_grad_norm_`: `total_norm` is the `normType`-norm of all
 * gradients concatenated (for `'inf'`, the largest `|g|`), and every gradient
 * is multiplied by `min(1, maxNorm / (total_norm + 1e-6))` — so even a norm
 * just under `maxNorm` scales by a factor slightly below 1, as in PyTorch.
 * Everything stays on the device (no value is read back), and the inputs
 * are not disposed.
 *
 * @param grads gradients of any shapes, float32: a list, or a map by name (what `tf.variableGrads` returns).
 * @param maxNorm the largest allowed total norm (>= 0).
 * @param normType the norm's order `p > 0` (default 2) or `'inf'`.
 * @returns the clipped gradients (same structure) and the total norm before clipping, `[]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { clipGradNorm } from '@fovea/optim';
 * const { grads, totalNorm } = clipGradNorm([tf.tensor1d([3, 4])], 1);
 * totalNorm.print(); // 5
 * grads[0].print();  // [0.6, 0.8] (times 5 / (5 + 1e-6))
 * ```
 * @category Clipping
 */
export function clipGradNorm<T extends GradList>(grads: T, maxNorm: number, normType: number | 'inf' = 2): ClipGradNormResult<T> {
  const op = 'clipGradNorm';
  const { tensors, pack } = unpackGrads(op, grads);
  checkNumber(op, 'maxNorm', maxNorm, { min: 0 });
  const p = normOrder(op, normType);
  return tf.tidy(() => {
    const parts = tensors.filter((g) => g.size > 0);
    let total: tf.Scalar;
    if (parts.length === 0) total = tf.scalar(0);
    else if (p === Infinity) total = tf.max(tf.stack(parts.map((g) => tf.max(tf.abs(g))))) as tf.Scalar;
    else if (p === 2) total = tf.sqrt(tf.addN(parts.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    else if (p === 1) total = tf.addN(parts.map((g) => tf.sum(tf.abs(g)))) as tf.Scalar;
    else total = tf.pow(tf.addN(parts.map((g) => tf.sum(tf.pow(tf.abs(g), p)))), 1 / p) as tf.Scalar;
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    const clipped = tensors.map((g) => tf.mul(g, coef));
    return { grads: pack(clipped) as T, totalNorm: total };
  });
}
