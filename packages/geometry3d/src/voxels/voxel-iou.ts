import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor } from '@fovea/core';
import { noGrad } from '../_internal/autograd.js';
import { toFloat } from '../_internal/dtype.js';

/** Options for {@link voxelIou}. @category Voxels */
export interface VoxelIouOptions {
  /** A predicted voxel is occupied when its probability is `>=` this; default 0.5. */
  threshold?: number;
}

/**
 * Intersection over union of voxel occupancies, per batch element:
 * `occ = pred >= threshold` (`>=`, as {@link cubify}), then
 * `|occ ∧ gt| / |occ ∨ gt|`, and **1** when both are empty. An evaluation
 * metric: not differentiable.
 *
 * @param pred `[B, D, H, W]` occupancy probabilities (any trailing voxel shape).
 * @param gt `[B, D, H, W]` ground-truth occupancy: bool, or numbers where non-zero is occupied.
 * @param opts threshold.
 * @returns `[B]` IoU in `[0, 1]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { voxelIou } from '@fovea/geometry3d';
 * const pred = tf.tensor4d([0.9, 0.2, 0.7, 0.1], [1, 1, 2, 2]);
 * const gt = tf.tensor4d([1, 1, 0, 0], [1, 1, 2, 2], 'bool');
 * await voxelIou(pred, gt).data(); // [0.3333]: 1 shared of 3 occupied
 * ```
 * @category Voxels
 */
export function voxelIou(pred: tf.Tensor, gt: tf.Tensor, opts: VoxelIouOptions = {}): tf.Tensor {
  const op = 'voxelIou';
  checkTensor(op, 'pred', pred, { minRank: 2, dtype: 'float32' });
  checkTensor(op, 'gt', gt, { shape: pred.shape, dtype: ['bool', 'float32', 'int32'] });
  const threshold = checkNumber(op, 'options.threshold', opts.threshold ?? 0.5);
  return noGrad(() => [
    tf.tidy(() => {
      const B = pred.shape[0]!;
      const n = pred.shape.slice(1).reduce((a, b) => a * b, 1);
      if (B === 0 || n === 0) return tf.fill([B], 1); // no voxels: both empty
      const occ = tf.reshape(tf.greaterEqual(pred, threshold), [B, n]); // [B, DHW]
      const g = tf.reshape(gt.dtype === 'bool' ? gt : tf.notEqual(gt, 0), [B, n]);
      const inter = tf.sum(toFloat(tf.logicalAnd(occ, g)), 1); // [B]
      const union = tf.sum(toFloat(tf.logicalOr(occ, g)), 1);
      return tf.where(tf.greater(union, 0), tf.div(inter, tf.maximum(union, 1)), tf.onesLike(union));
    }),
  ])[0];
}
