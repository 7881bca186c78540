import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';
import { alongDim, normalizeDim } from './_dim.js';

/**
 * Softmax along `dim` (PyTorch's `F.softmax(x, dim)`):
 * `exp(x - max) / sum(exp(x - max))`, numerically stable for any logits.
 *
 * @param x float32 tensor, rank ≥ 1, e.g. `[N, K]` class scores.
 * @param dim the axis that sums to 1 (negative counts from the end); default -1.
 * @returns probabilities shaped like `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { softmax } from '@fovea/core';
 * softmax(tf.tensor2d([[0, Math.log(3)]]), -1).print(); // [[0.25, 0.75]]
 * softmax(tf.tensor2d([[1000, 1000]])).print();          // [[0.5, 0.5]] (no overflow)
 * ```
 * @category Activations
 */
export function softmax(x: tf.Tensor, dim = -1): tf.Tensor {
  checkFloat('softmax', 'x', x);
  const d = normalizeDim('softmax', 'dim', dim, x.rank);
  if (x.size === 0) return tf.clone(x);
  return tf.tidy(() => alongDim(x, d, (t) => tf.softmax(t)));
}

/** Options for {@link Softmax} and {@link LogSoftmax}. @category Activations */
export interface SoftmaxOptions {
  /** The axis to normalise; default -1. */
  dim?: number;
}

/**
 * Softmax as a module (PyTorch's `nn.Softmax(dim)`). See {@link softmax}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Softmax } from '@fovea/core';
 * new Softmax({ dim: 1 }).forward(tf.zeros([2, 4])).print(); // every entry 0.25
 * ```
 * @category Activations
 */
export class Softmax extends Module<[tf.Tensor], tf.Tensor> {
  /** The normalised axis. */
  readonly dim: number;

  constructor(opts: SoftmaxOptions = {}) {
    super();
    this.dim = opts.dim ?? -1;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return softmax(x, this.dim);
  }
}
