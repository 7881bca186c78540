import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { total, weightList, type Weights } from './_params.js';

/** Options for {@link weightDecay}. @category Regularization */
export interface WeightDecayOptions {
  /**
   * Skip tensors of rank ≤ 1 (biases, norm scales and shifts), the usual
   * practice; default `false` (PyTorch's optimizers decay every parameter).
   */
  skip1d?: boolean;
}

/**
 * The weight-decay penalty `(decay / 2) · Σ w²`: adding it to a loss makes
 * plain SGD do exactly what `torch.optim.SGD(weight_decay=decay)` does (each
 * weight's gradient gains `decay · w`). Only trainable parameters count when
 * given a {@link Module}.
 *
 * @param w a tensor, a list of tensors, or a {@link Module}.
 * @param decay the decay coefficient λ ≥ 0 (e.g. 5e-4).
 * @param opts `skip1d` (default `false`).
 * @returns a scalar `[]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { weightDecay } from '@fovea/core';
 * weightDecay(tf.tensor1d([2]), 0.1).print(); // 0.2 (its gradient 0.1 · 2 = 0.2)
 * ```
 * @category Regularization
 */
export function weightDecay(w: Weights, decay: number, opts: WeightDecayOptions = {}): tf.Tensor {
  const lambda = checkNumber('weightDecay', 'decay', decay, { min: 0 });
  let list = w instanceof Module ? w.trainableParameters() : weightList('weightDecay', w);
  if (opts.skip1d) list = list.filter((t) => t.rank > 1);
  return tf.tidy(() => tf.mul(total(list, tf.square), lambda / 2));
}
