import * as tf from '@tensorflow/tfjs-core';
import { absSign } from '../losses/_common.js';
import { total, weightList, type Weights } from './_params.js';

/**
 * L1 penalty `Σ |w|` (lasso; drives weights to exactly zero). The
 * gradient is `sign(w)`, 0 at 0 as in PyTorch.
 *
 * @param w a tensor, a list of tensors, or a {@link Module} (all its parameters).
 * @returns a scalar `[]` (0 for an empty list).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { l1 } from '@fovea/core';
 * l1(tf.tensor1d([1, -2, 0])).print(); // 3
 * ```
 * @category Regularization
 */
export function l1(w: Weights): tf.Tensor {
  const list = weightList('l1', w);
  return total(list, absSign);
}
