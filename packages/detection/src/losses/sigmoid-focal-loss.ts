import * as tf from '@tensorflow/tfjs-core';
import { bceWithLogits, checkNumber, checkOneOf, checkTensor, type Reduction } from '@fovea/core';

/** Options for {@link sigmoidFocalLoss}. @category Losses */
export interface SigmoidFocalLossOptions {
  /** Weight of the positives (`1 - alpha` for negatives) in `[0, 1]`; a negative value turns weighting off. Default 0.25. */
  alpha?: number;
  /** Focusing exponent on `(1 - p_t)`; 0 gives plain (weighted) BCE. Default 2. */
  gamma?: number;
  /** `'none'` (default, same shape as inputs), `'mean'` or `'sum'`. */
  reduction?: Reduction;
}

/**
 * The focal loss of RetinaNet (Lin et al. 2017), like
 * `torchvision.ops.sigmoid_focal_loss`: with `p = σ(x)`,
 * `p_t = p·t + (1-p)(1-t)`, `loss = BCEWithLogits(x, t) · (1 - p_t)^γ`, times
 * `α_t = α·t + (1-α)(1-t)` when `α >= 0`. Differentiable (gradients flow
 * through `p_t` too). The BCE term is core's numerically stable
 * {@link bceWithLogits}.
 *
 * @param inputs logits, any shape, float32.
 * @param targets same shape: 1 for the positive class, 0 for the negative (soft labels work too).
 * @param opts alpha, gamma, reduction.
 * @returns the loss, same shape as `inputs`, or a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sigmoidFocalLoss } from '@fovea/detection';
 * sigmoidFocalLoss(tf.tensor1d([2, -1]), tf.tensor1d([1, 0])).print(); // [0.0005, 0.0170]
 * ```
 * @category Losses
 */
export function sigmoidFocalLoss(inputs: tf.Tensor, targets: tf.Tensor, opts: SigmoidFocalLossOptions = {}): tf.Tensor {
  const op = 'sigmoidFocalLoss';
  checkTensor(op, 'inputs', inputs, { dtype: 'float32' });
  checkTensor(op, 'targets', targets, { shape: inputs.shape, dtype: 'float32' });
  const alpha = checkNumber(op, 'options.alpha', opts.alpha ?? 0.25, { max: 1 });
  const gamma = checkNumber(op, 'options.gamma', opts.gamma ?? 2, { min: 0 });
  const reduction = checkOneOf(op, 'options.reduction', opts.reduction ?? 'none', ['none', 'mean', 'sum'] as const);
  return tf.tidy(() => {
    const p = tf.sigmoid(inputs);
    const ce = bceWithLogits(inputs, targets, { reduction: 'none' }); // core's stable BCE-with-logits
    const pt = tf.add(tf.mul(p, targets), tf.mul(tf.sub(1, p), tf.sub(1, targets)));
    let loss = gamma === 0 ? ce : tf.mul(ce, tf.pow(tf.sub(1, pt), gamma));
    if (alpha >= 0) loss = tf.mul(tf.add(tf.mul(alpha, targets), tf.mul(1 - alpha, tf.sub(1, targets))), loss);
    if (reduction === 'sum') return tf.sum(loss);
    if (reduction === 'mean') return loss.size > 0 ? tf.mean(loss) : tf.mul(tf.sum(loss), 0);
    return loss;
  });
}
