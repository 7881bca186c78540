import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { checkPair, checkReduction, reduce, type Reduction } from './_common.js';
import type { ReductionOptions } from './mse-loss.js';
import { smoothL1Elementwise } from './smooth-l1-loss.js';

/** Options for {@link huberLoss}. @category Losses */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (> 0); default 1. */
  delta?: number;
}

/**
 * Huber loss (PyTorch's `F.huber_loss`): with `d = |input - target|`,
 * `0.5 d²` if `d < delta` else `delta · (d - 0.5 delta)`; equals
 * `delta · smoothL1Loss(beta = delta)`.
 *
 * @param input float32 predictions, any shape.
 * @param target float32, the same shape.
 * @param opts `delta` (default 1), `reduction` (default `'mean'`).
 * @returns a scalar `[]`, or the input's shape with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { huberLoss } from '@fovea/core';
 * huberLoss(tf.tensor1d([0.5, 3]), tf.zeros([2]), { delta: 2, reduction: 'none' }).print(); // [0.125, 4]
 * ```
 * @category Losses
 */
export function huberLoss(input: tf.Tensor, target: tf.Tensor, opts: HuberLossOptions = {}): tf.Tensor {
  checkPair('huberLoss', input, target);
  const reduction = checkReduction('huberLoss', opts.reduction);
  const delta = checkNumber('huberLoss', 'options.delta', opts.delta ?? 1, { gt: 0 });
  return tf.tidy(() => reduce(tf.mul(smoothL1Elementwise(input, target, delta), delta), reduction));
}

/**
 * Huber loss as a module (PyTorch's `nn.HuberLoss`). See {@link huberLoss}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HuberLoss } from '@fovea/core';
 * new HuberLoss().forward(tf.tensor1d([3]), tf.zeros([1])).print(); // 2.5
 * ```
 * @category Losses
 */
export class HuberLoss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  /** The reduction. */
  readonly reduction: Reduction;
  /** The quadratic-to-linear point. */
  readonly delta: number;

  constructor(opts: HuberLossOptions = {}) {
    super();
    this.reduction = checkReduction('HuberLoss', opts.reduction);
    this.delta = checkNumber('HuberLoss', 'options.delta', opts.delta ?? 1, { gt: 0 });
  }

  forward(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
