import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { checkFloat } from './_check.js';
import { unaryCustomGrad } from './_custom-grad.js';

/**
 * `log(1 + exp(z))` computed without overflow as `max(z, 0) + log1p(exp(-|z|))`,
 * gradient `sigmoid(z)`. Used by the losses (`log σ(x) = -softplus(-x)`). @internal
 */
export function stableSoftplus(z: tf.Tensor): tf.Tensor {
  const f = unaryCustomGrad((input, save) => {
    save([input]);
    return {
      value: tf.add(tf.relu(input), tf.log1p(tf.exp(tf.neg(tf.abs(input))))),
      gradFunc: (dy, saved) => tf.mul(dy, tf.sigmoid(saved[0]!)),
    };
  });
  return tf.tidy(() => f(z));
}

/** Options for {@link softplus}. @category Activations */
export interface SoftplusOptions {
  /** Sharpness: `log(1 + exp(beta x)) / beta`; default 1. */
  beta?: number;
  /** Above `beta · x > threshold` the function is linear (returns `x`); default 20. */
  threshold?: number;
}

/**
 * Softplus, a smooth ReLU (PyTorch's `F.softplus`): `x` where `beta · x > threshold`,
 * else `log(1 + exp(beta · x)) / beta`; gradient `sigmoid(beta · x)` (1 in the linear part).
 *
 * @param x float32 tensor, any shape.
 * @param opts `beta` (default 1), `threshold` (default 20).
 * @returns a tensor of the same shape, values > 0.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { softplus } from '@fovea/core';
 * softplus(tf.tensor1d([0, 30])).print(); // [0.6931472, 30]
 * ```
 * @category Activations
 */
export function softplus(x: tf.Tensor, opts: SoftplusOptions = {}): tf.Tensor {
  checkFloat('softplus', 'x', x);
  const beta = checkNumber('softplus', 'options.beta', opts.beta ?? 1, { gt: 0 });
  const threshold = checkNumber('softplus', 'options.threshold', opts.threshold ?? 20);
  const f = unaryCustomGrad((input, save) => {
    const bx = tf.mul(input, beta);
    const linear = tf.greater(bx, threshold);
    const soft = tf.div(tf.add(tf.relu(bx), tf.log1p(tf.exp(tf.neg(tf.abs(bx))))), beta);
    save([bx, linear]);
    return {
      value: tf.where(linear, input, soft),
      gradFunc: (dy, saved) => tf.where(saved[1]!, dy, tf.mul(dy, tf.sigmoid(saved[0]!))),
    };
  });
  return tf.tidy(() => f(x));
}

/**
 * Softplus as a module (PyTorch's `nn.Softplus`). See {@link softplus}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Softplus } from '@fovea/core';
 * new Softplus({ beta: 2 }).forward(tf.tensor1d([0])).print(); // [0.3465736]
 * ```
 * @category Activations
 */
export class Softplus extends Module<[tf.Tensor], tf.Tensor> {
  /** Sharpness. */
  readonly beta: number;
  /** Linear-region threshold on `beta · x`. */
  readonly threshold: number;

  constructor(opts: SoftplusOptions = {}) {
    super();
    this.beta = checkNumber('Softplus', 'options.beta', opts.beta ?? 1, { gt: 0 });
    this.threshold = checkNumber('Softplus', 'options.threshold', opts.threshold ?? 20);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }
}
