import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { checkFloat } from './_check.js';

/**
 * Leaky ReLU, `x` for `x > 0` else `negativeSlope · x`, elementwise
 * (PyTorch's `F.leaky_relu`; any slope, including slopes above 1).
 *
 * @param x float32 tensor, any shape.
 * @param negativeSlope slope for negative inputs; default 0.01.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { leakyRelu } from '@fovea/core';
 * leakyRelu(tf.tensor1d([-10, 3]), 0.1).print(); // [-1, 3]
 * ```
 * @category Activations
 */
export function leakyRelu(x: tf.Tensor, negativeSlope = 0.01): tf.Tensor {
  checkFloat('leakyRelu', 'x', x);
  const a = checkNumber('leakyRelu', 'negativeSlope', negativeSlope);
  return tf.leakyRelu(x, a);
}

/** Options for {@link LeakyReLU}. @category Activations */
export interface LeakyReLUOptions {
  /** Slope for negative inputs; default 0.01. */
  negativeSlope?: number;
}

/**
 * Leaky ReLU as a module (PyTorch's `nn.LeakyReLU`). See {@link leakyRelu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LeakyReLU } from '@fovea/core';
 * new LeakyReLU({ negativeSlope: 0.2 }).forward(tf.tensor1d([-1, 1])).print(); // [-0.2, 1]
 * ```
 * @category Activations
 */
export class LeakyReLU extends Module<[tf.Tensor], tf.Tensor> {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;

  constructor(opts: LeakyReLUOptions = {}) {
    super();
    this.negativeSlope = checkNumber('LeakyReLU', 'options.negativeSlope', opts.negativeSlope ?? 0.01);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}
