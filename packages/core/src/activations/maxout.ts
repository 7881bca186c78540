import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { Module } from '../nn/module.js';
import { formatShape } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { checkFloat } from './_check.js';

/** Options for {@link maxout}. @category Activations */
export interface MaxoutOptions {
  /** The feature axis that holds the pieces (negative counts from the end); default -1. */
  axis?: number;
}

/**
 * Maxout (Goodfellow et al. 2013): splits the feature axis of size `D · pieces`
 * into `D` consecutive groups of `pieces` and keeps each group's maximum, so
 * `out[..., j] = max_p x[..., j · pieces + p]`. A maxout unit
 * `max(w₁ᵀx + b₁, …, w_kᵀx + b_k)` is a Linear layer with `D · k` outputs
 * followed by `maxout(·, k)`; ReLU and leaky ReLU are special cases.
 *
 * @param x float32 tensor `[..., D · pieces, ...]`.
 * @param pieces linear pieces per output feature (≥ 1).
 * @param opts `axis` (default -1).
 * @returns `[..., D, ...]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maxout } from '@fovea/core';
 * maxout(tf.tensor2d([[1, -2, 3, 5]]), 2).print(); // [[1, 5]]
 * ```
 * @category Activations
 */
export function maxout(x: tf.Tensor, pieces: number, opts: MaxoutOptions = {}): tf.Tensor {
  checkFloat('maxout', 'x', x);
  if (x.rank === 0) throw new FoveaError({ op: 'maxout', arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
  const k = checkNumber('maxout', 'pieces', pieces, { integer: true, min: 1 });
  const axis = checkNumber('maxout', 'options.axis', opts.axis ?? -1, { integer: true, min: -x.rank, max: x.rank - 1 });
  const ax = axis < 0 ? axis + x.rank : axis;
  const size = x.shape[ax]!;
  if (size % k !== 0) {
    throw new FoveaError({
      op: 'maxout',
      arg: 'x',
      expected: `a size divisible by pieces = ${k} on axis ${ax}`,
      got: `shape ${formatShape(x.shape)}`,
    });
  }
  return tf.tidy(() => {
    const split = [...x.shape.slice(0, ax), size / k, k, ...x.shape.slice(ax + 1)]; // [..., D, pieces, ...]
    return tf.max(tf.reshape(x, split), ax + 1);
  });
}

/** Options for {@link Maxout}. @category Activations */
export interface MaxoutModuleOptions extends MaxoutOptions {
  /** Linear pieces per output feature. */
  pieces: number;
}

/**
 * Maxout as a parameter-free module: put it after a Linear/Conv layer with
 * `D · pieces` outputs. See {@link maxout}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Maxout } from '@fovea/core';
 * new Maxout({ pieces: 3 }).forward(tf.zeros([8, 30])).shape; // [8, 10]
 * ```
 * @category Activations
 */
export class Maxout extends Module<[tf.Tensor], tf.Tensor> {
  /** Pieces per output feature. */
  readonly pieces: number;
  /** Feature axis. */
  readonly axis: number;

  constructor(opts: MaxoutModuleOptions) {
    super();
    this.pieces = checkNumber('Maxout', 'options.pieces', opts?.pieces, { integer: true, min: 1 });
    this.axis = checkNumber('Maxout', 'options.axis', opts.axis ?? -1, { integer: true });
  }

  forward(x: tf.Tensor): tf.Tensor {
    return maxout(x, this.pieces, { axis: this.axis });
  }
}
