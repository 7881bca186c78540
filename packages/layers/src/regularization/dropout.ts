import * as tf from '@tensorflow/tfjs-core';
import { Module, bernoulli, checkNumber, checkTensor, type Generator } from '@fovea/core';
import { checkBool } from '../_internal/args.js';

/** Options for {@link dropout}. @category Regularization */
export interface DropoutOptions {
  /** Probability of zeroing an element; default 0.5. */
  p?: number;
  /** Apply dropout (`true`) or return the input unchanged (`false`, evaluation); default `true`. */
  training?: boolean;
  /** Random source (default: core's default generator), so a seed reproduces the mask. */
  generator?: Generator;
}

function keepMask(shape: number[], p: number, generator: Generator | undefined): tf.Tensor {
  return tf.tidy(() => tf.div(bernoulli(shape, 1 - p, generator ? { generator } : {}), 1 - p));
}

/**
 * Inverted dropout, PyTorch's `F.dropout`: in training each element is zeroed
 * with probability `p` and the survivors are scaled by `1/(1-p)`, so eval
 * needs no rescaling. The mask comes from core's seeded generator.
 *
 * @param x float32 tensor, any shape.
 * @param opts p, training, generator.
 * @returns the same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropout } from '@fovea/layers';
 * import { Generator } from '@fovea/core';
 * dropout(tf.ones([4]), { p: 0.5, generator: new Generator(0) }).dataSync(); // each value 0 or 2
 * ```
 * @category Regularization
 */
export function dropout(x: tf.Tensor, opts: DropoutOptions = {}): tf.Tensor {
  const op = 'dropout';
  checkTensor(op, 'x', x, { dtype: 'float32' });
  const p = checkNumber(op, 'options.p', opts.p ?? 0.5, { min: 0, max: 1 });
  const training = checkBool(op, 'options.training', opts.training ?? true);
  if (!training || p === 0) return tf.clone(x);
  if (p === 1) return tf.tidy(() => tf.mul(x, 0));
  return tf.tidy(() => tf.mul(x, keepMask([...x.shape], p, opts.generator)));
}

/**
 * Channel dropout, PyTorch's `F.dropout2d`: zeroes whole feature maps of
 * `[N, H, W, C]` images (one draw per `(n, c)`) with probability `p`, scaling
 * the rest by `1/(1-p)`.
 *
 * @param x `[N, H, W, C]`.
 * @param opts p, training, generator.
 * @returns `[N, H, W, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropout2d } from '@fovea/layers';
 * dropout2d(tf.ones([2, 8, 8, 16]), { p: 0.2 }).shape; // [2, 8, 8, 16]
 * ```
 * @category Regularization
 */
export function dropout2d(x: tf.Tensor, opts: DropoutOptions = {}): tf.Tensor4D {
  const op = 'dropout2d';
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  const p = checkNumber(op, 'options.p', opts.p ?? 0.5, { min: 0, max: 1 });
  const training = checkBool(op, 'options.training', opts.training ?? true);
  if (!training || p === 0) return tf.clone(x) as tf.Tensor4D;
  if (p === 1) return tf.tidy(() => tf.mul(x, 0)) as tf.Tensor4D;
  return tf.tidy(() => tf.mul(x, keepMask([x.shape[0]!, 1, 1, x.shape[3]!], p, opts.generator))) as tf.Tensor4D;
}

/** Options for the dropout modules. @category Regularization */
export interface DropoutModuleOptions {
  /** Random source (default: core's default generator). */
  generator?: Generator;
}

/**
 * A dropout layer (PyTorch's `nn.Dropout`): active in training mode, the
 * identity after `eval()`. See {@link dropout}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Dropout } from '@fovea/layers';
 * const drop = new Dropout(0.25);
 * drop.eval().forward(tf.ones([3])).dataSync(); // [1, 1, 1]
 * ```
 * @category Regularization
 */
export class Dropout extends Module<[tf.Tensor], tf.Tensor> {
  /** The drop probability. */
  readonly p: number;
  private readonly generator: Generator | undefined;

  /**
   * @param p drop probability (default 0.5).
   * @param opts generator.
   */
  constructor(p = 0.5, opts: DropoutModuleOptions = {}) {
    super();
    this.p = checkNumber('Dropout', 'p', p, { min: 0, max: 1 });
    this.generator = opts.generator;
  }

  /** `x` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    return dropout(x, { p: this.p, training: this.training, ...(this.generator ? { generator: this.generator } : {}) });
  }
}

/**
 * A channel-dropout layer for `[N, H, W, C]` maps (PyTorch's `nn.Dropout2d`). See {@link dropout2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Dropout2d } from '@fovea/layers';
 * new Dropout2d(0.1).forward(tf.ones([1, 4, 4, 8])).shape; // [1, 4, 4, 8]
 * ```
 * @category Regularization
 */
export class Dropout2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The drop probability. */
  readonly p: number;
  private readonly generator: Generator | undefined;

  /**
   * @param p drop probability (default 0.5).
   * @param opts generator.
   */
  constructor(p = 0.5, opts: DropoutModuleOptions = {}) {
    super();
    this.p = checkNumber('Dropout2d', 'p', p, { min: 0, max: 1 });
    this.generator = opts.generator;
  }

  /** `x [N, H, W, C]` → same shape. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return dropout2d(x, { p: this.p, training: this.training, ...(this.generator ? { generator: this.generator } : {}) });
  }
}
