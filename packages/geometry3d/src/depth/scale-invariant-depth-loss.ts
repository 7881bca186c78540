import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor } from '@fovea/core';
import { toFloat } from '../_internal/dtype.js';

/** Options for {@link scaleInvariantDepthLoss}. @category Depth */
export interface ScaleInvariantDepthLossOptions {
  /** `[B, H, W]` bool: which pixels have ground truth (at least one per item); default all. */
  mask?: tf.Tensor | null;
  /** Weight `λ` of the scale-invariance term: 0 is plain MSE of log depths, 1 fully scale-invariant; default 0.5 (the paper's training value). */
  lambda?: number;
}

/**
 * The scale-invariant log-depth loss of Eigen, Puhrsch and Fergus (2014,
 * eq. 4): with `d = pred - target` over the `n_b` valid pixels of item `b`,
 * `loss = mean_b [ (1/n_b)·Σ d² - (λ/n_b²)·(Σ d)² ]`. Inputs are **log**
 * depths (apply `tf.log` to metric depths). Differentiable in `pred`.
 *
 * @param pred `[B, H, W]` predicted log depth.
 * @param target `[B, H, W]` ground-truth log depth.
 * @param opts mask, lambda.
 * @returns scalar loss.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { scaleInvariantDepthLoss } from '@fovea/geometry3d';
 * const target = tf.log(tf.tensor3d([[[1, 2], [4, 8]]]));
 * const pred = tf.add(target, Math.log(3)); // right up to a global scale
 * await scaleInvariantDepthLoss(pred, target, { lambda: 1 }).data(); // [0]
 * ```
 * @category Depth
 */
export function scaleInvariantDepthLoss(pred: tf.Tensor, target: tf.Tensor, opts: ScaleInvariantDepthLossOptions = {}): tf.Tensor {
  const op = 'scaleInvariantDepthLoss';
  const dims: Record<string, number> = {};
  checkTensor(op, 'pred', pred, { shape: ['B', 'H', 'W'], dtype: 'float32' }, dims);
  checkTensor(op, 'target', target, { shape: ['B', 'H', 'W'], dtype: 'float32' }, dims);
  const mask = opts.mask ?? null;
  if (mask) checkTensor(op, 'options.mask', mask, { shape: ['B', 'H', 'W'], dtype: ['bool', 'float32'] }, dims);
  const lambda = checkNumber(op, 'options.lambda', opts.lambda ?? 0.5);
  return tf.tidy(() => {
    const B = pred.shape[0]!;
    let d = tf.reshape(tf.sub(pred, target), [B, -1]); // [B, HW]
    let n: tf.Tensor | number = d.shape[1]!;
    if (mask) {
      const m = tf.reshape(toFloat(mask), [B, -1]); // [B, HW]
      d = tf.mul(d, m);
      n = tf.sum(m, 1); // [B]
    }
    const s1 = tf.sum(tf.square(d), 1); // [B]
    const s2 = tf.sum(d, 1); // [B]
    const per = tf.sub(tf.div(s1, n), tf.mul(lambda, tf.div(tf.square(s2), tf.square(n as tf.Tensor))));
    return tf.mean(per);
  });
}
