import * as tf from '@tensorflow/tfjs-core';
import { absSign } from '../losses/_common.js';
import { checkNumber } from '../validate/values.js';
import { total, weightList, type Weights } from './_params.js';

/**
 * Elastic-net penalty `Σ (beta · w² + |w|)` (CS231n's form: L1 plus `beta` times L2).
 *
 * @param w a tensor, a list of tensors, or a {@link Module} (all its parameters).
 * @param beta weight of the squared term (≥ 0).
 * @returns a scalar `[]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elasticNet } from '@fovea/core';
 * elasticNet(tf.tensor1d([1, -2]), 0.5).print(); // 0.5·5 + 3 = 5.5
 * ```
 * @category Regularization
 */
export function elasticNet(w: Weights, beta: number): tf.Tensor {
  const list = weightList('elasticNet', w);
  const b = checkNumber('elasticNet', 'beta', beta, { min: 0 });
  return total(list, (t) => tf.add(tf.mul(tf.square(t), b), absSign(t)));
}
