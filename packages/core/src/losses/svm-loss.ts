import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { checkReduction, oneHotFloat, reduce, safeSum, type Reduction } from './_common.js';
import type { ReductionOptions } from './mse-loss.js';

/** Options for {@link svmLoss}. @category Losses */
export interface SVMLossOptions extends ReductionOptions {
  /** The margin Δ by which the correct class must win; default 1. */
  margin?: number;
}

/**
 * Multiclass SVM (hinge) loss in CS231n's form (Weston–Watkins):
 * `l_i = Σ_{j ≠ y_i} max(0, s_ij - s_iy_i + margin)`, averaged over the `N` items by
 * default. Unlike PyTorch's `nn.MultiMarginLoss` it does not divide by `C`.
 * The gradient is `1[margin term > 0]` per wrong class and minus their count for the right one.
 *
 * @param scores float32 `[N, C]` class scores.
 * @param labels int32 `[N]` correct classes in `[0, C)` (not read back; others contribute no correct-class term).
 * @param opts `margin` (default 1), `reduction` (default `'mean'`; `'none'` gives `[N]`).
 * @returns a scalar `[]`, or `[N]` with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { svmLoss } from '@fovea/core';
 * // CS231n's example: scores [3.2, 5.1, -1.7] for a cat (label 0) → max(0, 2.9) + max(0, -3.9) = 2.9
 * svmLoss(tf.tensor2d([[3.2, 5.1, -1.7]]), tf.tensor1d([0], 'int32')).print(); // 2.9
 * ```
 * @category Losses
 */
export function svmLoss(scores: tf.Tensor, labels: tf.Tensor, opts: SVMLossOptions = {}): tf.Tensor {
  const dims = {};
  checkTensor('svmLoss', 'scores', scores, { dtype: 'float32', shape: ['N', 'C'] }, dims);
  checkTensor('svmLoss', 'labels', labels, { dtype: 'int32', shape: ['N'] }, dims);
  const margin = checkNumber('svmLoss', 'options.margin', opts.margin ?? 1);
  const reduction = checkReduction('svmLoss', opts.reduction);
  return tf.tidy(() => {
    const onehot = oneHotFloat(labels, scores.shape[1]!); // [N, C]
    const correct = safeSum(tf.mul(scores, onehot), 1, true); // [N, 1]
    const margins = tf.mul(tf.relu(tf.add(tf.sub(scores, correct), margin)), tf.sub(1, onehot)); // [N, C]
    return reduce(safeSum(margins, 1), reduction);
  });
}

/**
 * Multiclass SVM loss as a module. See {@link svmLoss}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SVMLoss } from '@fovea/core';
 * new SVMLoss({ margin: 1 }).forward(tf.zeros([2, 3]), tf.tensor1d([0, 1], 'int32')).print(); // 2
 * ```
 * @category Losses
 */
export class SVMLoss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  /** The margin Δ. */
  readonly margin: number;
  /** The reduction. */
  readonly reduction: Reduction;

  constructor(opts: SVMLossOptions = {}) {
    super();
    this.margin = checkNumber('SVMLoss', 'options.margin', opts.margin ?? 1);
    this.reduction = checkReduction('SVMLoss', opts.reduction);
  }

  forward(scores: tf.Tensor, labels: tf.Tensor): tf.Tensor {
    return svmLoss(scores, labels, { margin: this.margin, reduction: this.reduction });
  }
}
