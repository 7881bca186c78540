import * as tf from '@tensorflow/tfjs-core';
import { total, weightList, type Weights } from './_params.js';

/**
 * L2 penalty `Σ w²` (no ½; CS231n's `reg * np.sum(W * W)` is `reg · l2(W)`).
 *
 * @param w a tensor, a list of tensors, or a {@link Module} (all its parameters).
 * @returns a scalar `[]` (0 for an empty list).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { l2 } from '@fovea/core';
 * l2(tf.tensor1d([1, -2])).print(); // 5
 * ```
 * @category Regularization
 */
export function l2(w: Weights): tf.Tensor {
  const list = weightList('l2', w);
  return total(list, tf.square);
}
