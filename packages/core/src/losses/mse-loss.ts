import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkPair, checkReduction, reduce, type Reduction } from './_common.js';

/** Options shared by the elementwise regression losses. @category Losses */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Mean squared error (PyTorch's `F.mse_loss`): `(input - target)²`, reduced.
 * Shapes must match exactly (no broadcasting).
 *
 * @param input float32 predictions, any shape.
 * @param target float32, the same shape.
 * @param opts `reduction` (default `'mean'`).
 * @returns a scalar `[]`, or the input's shape with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mseLoss } from '@fovea/core';
 * mseLoss(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])).print(); // 2
 * ```
 * @category Losses
 */
export function mseLoss(input: tf.Tensor, target: tf.Tensor, opts: ReductionOptions = {}): tf.Tensor {
  checkPair('mseLoss', input, target);
  const reduction = checkReduction('mseLoss', opts.reduction);
  return tf.tidy(() => reduce(tf.squaredDifference(input, target), reduction));
}

/**
 * MSE as a module (PyTorch's `nn.MSELoss`). See {@link mseLoss}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MSELoss } from '@fovea/core';
 * new MSELoss({ reduction: 'sum' }).forward(tf.tensor1d([0, 0]), tf.tensor1d([1, 2])).print(); // 5
 * ```
 * @category Losses
 */
export class MSELoss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  /** The reduction. */
  readonly reduction: Reduction;

  constructor(opts: ReductionOptions = {}) {
    super();
    this.reduction = checkReduction('MSELoss', opts.reduction);
  }

  forward(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
