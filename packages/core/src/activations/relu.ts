import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';

/**
 * Rectified linear unit, `max(0, x)` elementwise (PyTorch's `F.relu`).
 * The gradient at 0 is 0, as in PyTorch.
 *
 * @param x float32 tensor, any shape.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { relu } from '@fovea/core';
 * relu(tf.tensor1d([-1, 0, 2])).print(); // [0, 0, 2]
 * ```
 * @category Activations
 */
export function relu(x: tf.Tensor): tf.Tensor {
  checkFloat('relu', 'x', x);
  return tf.relu(x);
}

/**
 * ReLU as a module (PyTorch's `nn.ReLU`), for {@link Sequential}s. See {@link relu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ReLU } from '@fovea/core';
 * new ReLU().forward(tf.tensor1d([-1, 2])).print(); // [0, 2]
 * ```
 * @category Activations
 */
export class ReLU extends Module<[tf.Tensor], tf.Tensor> {
  forward(x: tf.Tensor): tf.Tensor {
    return relu(x);
  }
}
