import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { absSign, checkPair, checkReduction, reduce, type Reduction } from './_common.js';
import type { ReductionOptions } from './mse-loss.js';

/** Options for {@link smoothL1Loss}. @category Losses */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; default 1. `0` gives plain L1. */
  beta?: number;
}

/**
 * `|input - target|` with PyTorch's `smooth_l1_loss(beta=0)` gradients: `sign(x - t)` for the input and
 * `sign(t - x)` for the target, both -1 where `x = t` (its kernel's quirk, kept for parity).
 */
function l1Torch(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, t, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const z = tf.sub(x, t);
    save([z]);
    return {
      value: tf.abs(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, tf.step(saved[0]!, -1)), tf.mul(dy, tf.step(tf.neg(saved[0]!), -1))],
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(input, target);
}

/**
 * `0.5 d² / beta` for `d < beta`, else `d - 0.5 beta`, with `d = |input - target|` (no `tf.where`,
 * so it differentiates on every backend). @internal
 */
export function smoothL1Elementwise(input: tf.Tensor, target: tf.Tensor, beta: number): tf.Tensor {
  if (beta === 0) return l1Torch(input, target);
  const d = absSign(tf.sub(input, target)); // the gradient at d = 0 is 0 for beta > 0 whatever |x|' is
  const q = tf.minimum(d, beta); // the quadratic part
  return tf.div(tf.add(tf.mul(tf.square(q), 0.5), tf.mul(tf.sub(d, q), beta)), beta);
}

/**
 * Smooth L1 loss (Fast R-CNN's box loss, PyTorch's `F.smooth_l1_loss`):
 * with `d = |input - target|`, `0.5 d² / beta` if `d < beta` else `d - 0.5 beta`;
 * `beta = 0` is plain L1 (with PyTorch's gradients at `d = 0`). Equals {@link huberLoss} `/ beta`.
 *
 * @param input float32 predictions, any shape (e.g. box deltas `[N, 4]`).
 * @param target float32, the same shape.
 * @param opts `beta` (default 1), `reduction` (default `'mean'`).
 * @returns a scalar `[]`, or the input's shape with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { smoothL1Loss } from '@fovea/core';
 * smoothL1Loss(tf.tensor1d([0.5, 3]), tf.zeros([2]), { reduction: 'none' }).print(); // [0.125, 2.5]
 * ```
 * @category Losses
 */
export function smoothL1Loss(input: tf.Tensor, target: tf.Tensor, opts: SmoothL1LossOptions = {}): tf.Tensor {
  checkPair('smoothL1Loss', input, target);
  const reduction = checkReduction('smoothL1Loss', opts.reduction);
  const beta = checkNumber('smoothL1Loss', 'options.beta', opts.beta ?? 1, { min: 0 });
  return tf.tidy(() => reduce(smoothL1Elementwise(input, target, beta), reduction));
}

/**
 * Smooth L1 as a module (PyTorch's `nn.SmoothL1Loss`). See {@link smoothL1Loss}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SmoothL1Loss } from '@fovea/core';
 * new SmoothL1Loss({ beta: 0 }).forward(tf.tensor1d([1, -3]), tf.zeros([2])).print(); // 2 (L1)
 * ```
 * @category Losses
 */
export class SmoothL1Loss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  /** The reduction. */
  readonly reduction: Reduction;
  /** The quadratic-to-linear point. */
  readonly beta: number;

  constructor(opts: SmoothL1LossOptions = {}) {
    super();
    this.reduction = checkReduction('SmoothL1Loss', opts.reduction);
    this.beta = checkNumber('SmoothL1Loss', 'options.beta', opts.beta ?? 1, { min: 0 });
  }

  forward(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
