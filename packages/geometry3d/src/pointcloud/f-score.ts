import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor } from '@fovea/core';
import { noGrad } from '../_internal/autograd.js';
import { knnPoints } from './knn-points.js';
import { toFloat } from '../_internal/dtype.js';

/** What {@link fScore} returns (the caller disposes the tensors). @category Point clouds */
export interface FScoreResult {
  /** `[T]` (or `[B, T]`): fraction of `pred` points within each threshold of `gt`. */
  precision: tf.Tensor;
  /** `[T]` (or `[B, T]`): fraction of `gt` points within each threshold of `pred`. */
  recall: tf.Tensor;
  /** `[T]` (or `[B, T]`): `2PR / (P + R)`, 0 where `P + R = 0`. */
  f1: tf.Tensor;
}

/**
 * F-score at distance thresholds between sampled point clouds (Mesh R-CNN's
 * `F1@t`, Tatarchenko et al. 2019): precision is the fraction of predicted
 * points whose **Euclidean** distance to the nearest ground-truth point is
 * below `t` (strictly), recall the fraction of ground-truth points within `t`
 * of a prediction, and `F1 = 2PR / (P + R)` (0 when both are 0). Values are
 * fractions in `[0, 1]`, not percentages. An evaluation metric: not
 * differentiable.
 *
 * @param pred `[P, 3]` (or `[B, P, 3]`) predicted surface samples.
 * @param gt `[Q, 3]` (or `[B, Q, 3]`) ground-truth surface samples.
 * @param thresholds distances `t` (> 0), e.g. `[0.1, 0.3, 0.5]`.
 * @returns `precision`, `recall`, `f1`, each `[T]` (or `[B, T]`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fScore } from '@fovea/geometry3d';
 * const pred = tf.tensor2d([[0, 0, 0], [5, 0, 0]]);
 * const gt = tf.tensor2d([[0, 0, 0.05]]);
 * const { precision, recall, f1 } = fScore(pred, gt, [0.1]);
 * await precision.data(); // [0.5]
 * await recall.data(); // [1]
 * await f1.data(); // [0.6667]
 * ```
 * @category Point clouds
 */
export function fScore(pred: tf.Tensor, gt: tf.Tensor, thresholds: readonly number[]): FScoreResult {
  const op = 'fScore';
  checkTensor(op, 'pred', pred, { rank: [2, 3], dtype: 'float32' });
  const batched = pred.rank === 3;
  const dims: Record<string, number> = {};
  checkTensor(op, 'pred', pred, { shape: batched ? ['B', 'P', 'D'] : ['P', 'D'] }, dims);
  checkTensor(op, 'gt', gt, { shape: batched ? ['B', 'Q', 'D'] : ['Q', 'D'], dtype: 'float32' }, dims);
  if (!Array.isArray(thresholds) || thresholds.length === 0) {
    throw new FoveaError({ op, arg: 'thresholds', expected: 'a non-empty array of distances', got: Array.isArray(thresholds) ? 'an empty array' : typeof thresholds });
  }
  thresholds.forEach((t, i) => checkNumber(op, `thresholds[${i}]`, t, { gt: 0 }));
  const [p3, g3] = batched ? [pred, gt] : [tf.expandDims(pred, 0), tf.expandDims(gt, 0)];
  const out = noGrad(() => {
    const t = tf.tensor1d(thresholds as number[]); // [T]
    const prec = fractionWithin(p3, g3, t); // [B, T]
    const rec = fractionWithin(g3, p3, t);
    const sum = tf.add(prec, rec);
    const f1 = tf.where(tf.greater(sum, 0), tf.div(tf.mul(2, tf.mul(prec, rec)), tf.where(tf.greater(sum, 0), sum, tf.onesLike(sum))), tf.zerosLike(sum));
    return batched ? [prec, rec, f1] : [tf.squeeze(prec, [0]), tf.squeeze(rec, [0]), tf.squeeze(f1, [0])];
  });
  if (!batched) tf.dispose([p3, g3]);
  return { precision: out[0]!, recall: out[1]!, f1: out[2]! };
}

/** `[B, T]`: fraction of points of `a` within each threshold of `b` (Euclidean, strict). */
function fractionWithin(a: tf.Tensor, b: tf.Tensor, t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [B, P] = a.shape as [number, number];
    if (P === 0) return tf.zeros([B, t.shape[0]!]);
    if (b.shape[1] === 0) return tf.zeros([B, t.shape[0]!]);
    const nn = knnPoints(a, b, { K: 1 });
    const d = tf.sqrt(tf.squeeze(nn.dists, [2])); // [B, P]
    const hit = toFloat(tf.less(tf.expandDims(d, 2), tf.reshape(t, [1, 1, -1]))); // [B, P, T]
    return tf.mean(hit, 1); // [B, T]
  });
}
