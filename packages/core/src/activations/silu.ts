import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';

/**
 * Sigmoid linear unit / swish, `x · sigmoid(x)` (PyTorch's `F.silu`).
 *
 * @param x float32 tensor, any shape.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { silu } from '@fovea/core';
 * silu(tf.tensor1d([0, 1])).print(); // [0, 0.7310586]
 * ```
 * @category Activations
 */
export function silu(x: tf.Tensor): tf.Tensor {
  checkFloat('silu', 'x', x);
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/**
 * SiLU as a module (PyTorch's `nn.SiLU`). See {@link silu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SiLU } from '@fovea/core';
 * new SiLU().forward(tf.tensor1d([0])).print(); // [0]
 * ```
 * @category Activations
 */
export class SiLU extends Module<[tf.Tensor], tf.Tensor> {
  forward(x: tf.Tensor): tf.Tensor {
    return silu(x);
  }
}
