import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { stableSoftplus } from '../activations/softplus.js';
import { Module } from '../nn/module.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { broadcastsTo, checkPair, checkReduction, reduce } from './_common.js';
import type { ReductionOptions } from './mse-loss.js';

/** Options for {@link bceWithLogits}. @category Losses */
export interface BCEWithLogitsOptions extends ReductionOptions {
  /** float32 `[C]` weight of positive examples per class (the last dim of `input`); default none (1). */
  posWeight?: tf.Tensor;
  /** float32 per-element rescaling weight, broadcastable to `input`; default none. */
  weight?: tf.Tensor;
}

function checkOptions(op: string, input: tf.Tensor, opts: BCEWithLogitsOptions): void {
  if (opts.posWeight !== undefined) {
    const c = input.rank === 0 ? 1 : input.shape[input.rank - 1]!;
    checkTensor(op, 'options.posWeight', opts.posWeight, { dtype: 'float32' });
    if (!(opts.posWeight.rank === 1 && (opts.posWeight.shape[0] === c || opts.posWeight.shape[0] === 1))) {
      throw new FoveaError({ op, arg: 'options.posWeight', expected: `shape [${c}] (the last dim of input ${formatShape(input.shape)})`, got: `shape ${formatShape(opts.posWeight.shape)}` });
    }
  }
  if (opts.weight !== undefined) {
    checkTensor(op, 'options.weight', opts.weight, { dtype: 'float32' });
    if (!broadcastsTo(opts.weight.shape, input.shape)) {
      throw new FoveaError({ op, arg: 'options.weight', expected: `a shape that broadcasts to input ${formatShape(input.shape)}`, got: `shape ${formatShape(opts.weight.shape)}` });
    }
  }
}

/**
 * Binary cross-entropy on logits (PyTorch's `F.binary_cross_entropy_with_logits`),
 * computed stably from the logits: `l = -(pw · t · log σ(x) + (1 - t) · log(1 - σ(x)))`,
 * `pw` the positive weight of the element's class, times `weight` if given, then reduced.
 * Targets may be hard (0/1) or soft (in [0, 1]); multi-label problems use one logit per class.
 *
 * @param input float32 logits, any shape (e.g. `[N, C]`).
 * @param target float32 in [0, 1], the same shape.
 * @param opts `posWeight` `[C]`, `weight` (broadcastable), `reduction` (default `'mean'`).
 * @returns a scalar `[]`, or the input's shape with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bceWithLogits } from '@fovea/core';
 * bceWithLogits(tf.tensor1d([0, 100]), tf.tensor1d([1, 1]), { reduction: 'none' }).print(); // [0.6931472, 0]
 * ```
 * @category Losses
 */
export function bceWithLogits(input: tf.Tensor, target: tf.Tensor, opts: BCEWithLogitsOptions = {}): tf.Tensor {
  checkPair('bceWithLogits', input, target);
  const reduction = checkReduction('bceWithLogits', opts.reduction);
  checkOptions('bceWithLogits', input, opts);
  return tf.tidy(() => {
    // -log σ(x) = softplus(-x), -log(1 - σ(x)) = softplus(x)
    const pos = stableSoftplus(tf.neg(input));
    const neg = stableSoftplus(input);
    const tp = opts.posWeight ? tf.mul(target, opts.posWeight) : target;
    let loss = tf.add(tf.mul(tp, pos), tf.mul(tf.sub(1, target), neg));
    if (opts.weight) loss = tf.mul(loss, opts.weight);
    return reduce(loss, reduction);
  });
}

/**
 * BCE-with-logits as a module (PyTorch's `nn.BCEWithLogitsLoss`). See {@link bceWithLogits}.
 * The module does not own `posWeight` / `weight`; the caller keeps and disposes them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BCEWithLogitsLoss } from '@fovea/core';
 * new BCEWithLogitsLoss().forward(tf.tensor1d([0]), tf.tensor1d([0])).print(); // 0.6931472
 * ```
 * @category Losses
 */
export class BCEWithLogitsLoss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  private readonly opts: BCEWithLogitsOptions;

  constructor(opts: BCEWithLogitsOptions = {}) {
    super();
    checkReduction('BCEWithLogitsLoss', opts.reduction);
    this.opts = { ...opts };
  }

  forward(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
    return bceWithLogits(input, target, this.opts);
  }
}
