import * as tf from '@tensorflow/tfjs-core';
import { Module, bernoulli, checkNumber, checkOneOf, checkTensor, type Generator } from '@fovea/core';
import { checkBool } from '../_internal/args.js';

/** Options for {@link stochasticDepth}. @category Regularization */
export interface StochasticDepthOptions {
  /** Probability of dropping the residual branch; required, in [0, 1]. */
  p: number;
  /** `'row'` drops the branch per sample, `'batch'` for the whole batch at once; default `'row'`. */
  mode?: 'row' | 'batch';
  /** Apply it (training) or return the input (eval); default `true`. */
  training?: boolean;
  /** Random source (default: core's default generator). */
  generator?: Generator;
}

/**
 * Stochastic depth (Huang et al. 2016), torchvision's
 * `ops.stochastic_depth`: multiplies a residual branch's output by a
 * Bernoulli(1-p) draw per sample (`'row'`) or per batch (`'batch'`), scaled by
 * `1/(1-p)`, so that whole blocks are skipped at random during training.
 *
 * @param x `[N, ...]`, the residual branch's output.
 * @param opts p, mode, training, generator.
 * @returns the same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { stochasticDepth } from '@fovea/layers';
 * const branch = tf.ones([4, 8, 8, 16]);
 * stochasticDepth(branch, { p: 0.2 }).shape; // [4, 8, 8, 16]; each sample all 0 or all 1.25
 * ```
 * @category Regularization
 */
export function stochasticDepth(x: tf.Tensor, opts: StochasticDepthOptions): tf.Tensor {
  const op = 'stochasticDepth';
  checkTensor(op, 'x', x, { minRank: 1, dtype: 'float32' });
  const p = checkNumber(op, 'options.p', opts?.p, { min: 0, max: 1 });
  const mode = checkOneOf(op, 'options.mode', opts.mode ?? 'row', ['row', 'batch'] as const);
  const training = checkBool(op, 'options.training', opts.training ?? true);
  if (!training || p === 0) return tf.clone(x);
  const survival = 1 - p;
  const shape = mode === 'row' ? [x.shape[0]!, ...new Array(x.rank - 1).fill(1)] : new Array(x.rank).fill(1);
  return tf.tidy(() => {
    let noise = bernoulli(shape, survival, opts.generator ? { generator: opts.generator } : {});
    if (survival > 0) noise = tf.div(noise, survival);
    return tf.mul(x, noise);
  });
}

/**
 * A stochastic-depth layer (torchvision's `ops.StochasticDepth`), active in
 * training mode. See {@link stochasticDepth}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StochasticDepth } from '@fovea/layers';
 * const sd = new StochasticDepth(0.1, 'row');
 * sd.eval().forward(tf.ones([2, 3])).dataSync(); // unchanged
 * ```
 * @category Regularization
 */
export class StochasticDepth extends Module<[tf.Tensor], tf.Tensor> {
  /** The drop probability. */
  readonly p: number;
  /** `'row'` (per sample) or `'batch'`. */
  readonly mode: 'row' | 'batch';
  private readonly generator: Generator | undefined;

  /**
   * @param p drop probability.
   * @param mode `'row'` (default) or `'batch'`.
   * @param opts generator.
   */
  constructor(p: number, mode: 'row' | 'batch' = 'row', opts: { generator?: Generator } = {}) {
    super();
    this.p = checkNumber('StochasticDepth', 'p', p, { min: 0, max: 1 });
    this.mode = checkOneOf('StochasticDepth', 'mode', mode, ['row', 'batch'] as const);
    this.generator = opts.generator;
  }

  /** `x [N, ...]` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    return stochasticDepth(x, { p: this.p, mode: this.mode, training: this.training, ...(this.generator ? { generator: this.generator } : {}) });
  }
}
