import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';
import { scaledElu } from './elu.js';

/** SELU's `alpha` (Klambauer et al. 2017), as PyTorch uses it. */
const SELU_ALPHA = 1.6732632423543772;
/** SELU's `scale`. */
const SELU_SCALE = 1.0507009873554805;

/**
 * Scaled exponential linear unit (Klambauer et al. 2017, PyTorch's `F.selu`):
 * `1.0507… · (x if x > 0 else 1.6732… · (exp(x) - 1))`. Pair it with
 * `calculateGain('selu')` / LeCun-normal init for self-normalising networks.
 *
 * @param x float32 tensor, any shape.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { selu } from '@fovea/core';
 * selu(tf.tensor1d([0, 1])).print(); // [0, 1.0507009]
 * ```
 * @category Activations
 */
export function selu(x: tf.Tensor): tf.Tensor {
  checkFloat('selu', 'x', x);
  return scaledElu(x, SELU_ALPHA, SELU_SCALE);
}

/**
 * SELU as a module (PyTorch's `nn.SELU`). See {@link selu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SELU } from '@fovea/core';
 * new SELU().forward(tf.tensor1d([1])).print(); // [1.0507009]
 * ```
 * @category Activations
 */
export class SELU extends Module<[tf.Tensor], tf.Tensor> {
  forward(x: tf.Tensor): tf.Tensor {
    return selu(x);
  }
}
