import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkOneOf } from '../validate/values.js';
import { checkFloat } from './_check.js';

/** Which GELU formula: the exact one (`'none'`) or the tanh approximation. @category Activations */
export type GeluApproximate = 'none' | 'tanh';

/**
 * Gaussian error linear unit (Hendrycks & Gimpel 2016, PyTorch's `F.gelu`):
 * exact `x · Φ(x) = 0.5 x (1 + erf(x / √2))`, or with `approximate: 'tanh'`
 * `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))` (GPT-2, BERT).
 *
 * @param x float32 tensor, any shape.
 * @param approximate `'none'` (default) or `'tanh'`.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gelu } from '@fovea/core';
 * gelu(tf.tensor1d([1])).print();         // [0.8413447]
 * gelu(tf.tensor1d([1]), 'tanh').print(); // [0.8411920]
 * ```
 * @category Activations
 */
export function gelu(x: tf.Tensor, approximate: GeluApproximate = 'none'): tf.Tensor {
  checkFloat('gelu', 'x', x);
  const mode = checkOneOf('gelu', 'approximate', approximate, ['none', 'tanh'] as const);
  return tf.tidy(() => {
    if (mode === 'none') return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}

/** Options for {@link GELU}. @category Activations */
export interface GELUOptions {
  /** `'none'` (exact, default) or `'tanh'`. */
  approximate?: GeluApproximate;
}

/**
 * GELU as a module (PyTorch's `nn.GELU`). See {@link gelu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GELU } from '@fovea/core';
 * new GELU({ approximate: 'tanh' }).forward(tf.tensor1d([0])).print(); // [0]
 * ```
 * @category Activations
 */
export class GELU extends Module<[tf.Tensor], tf.Tensor> {
  /** The formula used. */
  readonly approximate: GeluApproximate;

  constructor(opts: GELUOptions = {}) {
    super();
    this.approximate = checkOneOf('GELU', 'options.approximate', opts.approximate ?? 'none', ['none', 'tanh'] as const);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return gelu(x, this.approximate);
  }
}
