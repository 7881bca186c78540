import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkFloat } from './_check.js';
import { alongDim, normalizeDim } from './_dim.js';
import type { SoftmaxOptions } from './softmax.js';

/**
 * Log-softmax along `dim` (PyTorch's `F.log_softmax(x, dim)`):
 * `x - max - log(sum(exp(x - max)))`, stable for any logits (never `-Infinity`
 * from an underflowed softmax), gradient `dy - softmax(x) · sum(dy)`.
 *
 * @param x float32 tensor, rank ≥ 1, e.g. `[N, K]` class scores.
 * @param dim the axis to normalise (negative counts from the end); default -1.
 * @returns log-probabilities shaped like `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logSoftmax } from '@fovea/core';
 * logSoftmax(tf.tensor2d([[0, 0]])).print();     // [[-0.6931472, -0.6931472]]
 * logSoftmax(tf.tensor2d([[0, 200]]), 1).print(); // [[-200, 0]]
 * ```
 * @category Activations
 */
export function logSoftmax(x: tf.Tensor, dim = -1): tf.Tensor {
  checkFloat('logSoftmax', 'x', x);
  const d = normalizeDim('logSoftmax', 'dim', dim, x.rank);
  if (x.size === 0) return tf.clone(x);
  return tf.tidy(() => alongDim(x, d, (t) => tf.logSoftmax(t)));
}

/**
 * Log-softmax as a module (PyTorch's `nn.LogSoftmax(dim)`). See {@link logSoftmax}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LogSoftmax } from '@fovea/core';
 * new LogSoftmax({ dim: 1 }).forward(tf.zeros([1, 2])).print(); // [[-0.6931472, -0.6931472]]
 * ```
 * @category Activations
 */
export class LogSoftmax extends Module<[tf.Tensor], tf.Tensor> {
  /** The normalised axis. */
  readonly dim: number;

  constructor(opts: SoftmaxOptions = {}) {
    super();
    this.dim = opts.dim ?? -1;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return logSoftmax(x, this.dim);
  }
}
