import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';

/**
 * Hyperbolic tangent elementwise (PyTorch's `torch.tanh`).
 *
 * @param x float32 tensor, any shape.
 * @returns a tensor of the same shape, values in (-1, 1).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { tanh } from '@fovea/core';
 * tanh(tf.tensor1d([0, 100])).print(); // [0, 1]
 * ```
 * @category Activations
 */
export function tanh(x: tf.Tensor): tf.Tensor {
  checkFloat('tanh', 'x', x);
  return tf.tanh(x);
}

/**
 * Tanh as a module (PyTorch's `nn.Tanh`). See {@link tanh}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Tanh } from '@fovea/core';
 * new Tanh().forward(tf.tensor1d([0])).print(); // [0]
 * ```
 * @category Activations
 */
export class Tanh extends Module<[tf.Tensor], tf.Tensor> {
  forward(x: tf.Tensor): tf.Tensor {
    return tanh(x);
  }
}
