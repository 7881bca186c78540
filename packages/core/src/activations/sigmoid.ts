import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';

/**
 * Logistic sigmoid, `1 / (1 + exp(-x))` elementwise (PyTorch's `torch.sigmoid`).
 *
 * @param x float32 tensor, any shape.
 * @returns a tensor of the same shape, values in (0, 1).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sigmoid } from '@fovea/core';
 * sigmoid(tf.tensor1d([0])).print(); // [0.5]
 * ```
 * @category Activations
 */
export function sigmoid(x: tf.Tensor): tf.Tensor {
  checkFloat('sigmoid', 'x', x);
  return tf.sigmoid(x);
}

/**
 * Sigmoid as a module (PyTorch's `nn.Sigmoid`). See {@link sigmoid}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Sigmoid } from '@fovea/core';
 * new Sigmoid().forward(tf.tensor1d([0])).print(); // [0.5]
 * ```
 * @category Activations
 */
export class Sigmoid extends Module<[tf.Tensor], tf.Tensor> {
  forward(x: tf.Tensor): tf.Tensor {
    return sigmoid(x);
  }
}
