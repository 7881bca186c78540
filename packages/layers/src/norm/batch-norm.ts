import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, type Parameter } from '@fovea/core';
import { checkBool } from '../_internal/args.js';

/** Options for {@link batchNorm}. @category Normalization */
export interface BatchNormOptions {
  /** `[C]` running mean: used in eval mode; updated in place in training mode when it is a `tf.Variable` (as PyTorch does). */
  runningMean?: tf.Tensor | null;
  /** `[C]` running variance, likewise (updated with the unbiased batch variance). */
  runningVar?: tf.Tensor | null;
  /** `[C]` scale γ; default none (1). */
  weight?: tf.Tensor | null;
  /** `[C]` shift β; default none (0). */
  bias?: tf.Tensor | null;
  /** Normalise with the batch statistics (and update the running ones) instead of the running ones; default `false`. */
  training?: boolean;
  /** Running-statistics update factor `m` (`new = (1-m)·old + m·batch`); default 0.1. */
  momentum?: number;
  /** Added to the variance; default 1e-5. */
  eps?: number;
}

/**
 * Batch normalisation, PyTorch's `F.batch_norm` with channels last: in
 * training mode each channel is normalised with its batch mean and biased
 * variance over every axis but the last, and `tf.Variable` running statistics
 * are updated in place (`running_var` with the unbiased variance); in eval mode
 * the running statistics are used. Differentiable through the batch statistics.
 *
 * @param x `[N, ..., C]` (`[N, C]`, `[N, L, C]` or `[N, H, W, C]`).
 * @param opts running statistics, affine parameters, training, momentum, eps.
 * @returns `[N, ..., C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { batchNorm } from '@fovea/layers';
 * const x = tf.tensor2d([[1, 10], [3, 30]]);
 * batchNorm(x, { training: true }).arraySync(); // ≈ [[-1, -1], [1, 1]]
 * ```
 * @category Normalization
 */
export function batchNorm(x: tf.Tensor, opts: BatchNormOptions = {}): tf.Tensor {
  const op = 'batchNorm';
  checkTensor(op, 'x', x, { minRank: 2, dtype: 'float32' });
  const c = x.shape[x.rank - 1]!;
  const spec = { shape: [c], dtype: 'float32' as const };
  const { runningMean: rm = null, runningVar: rv = null, weight = null, bias = null } = opts;
  if (rm) checkTensor(op, 'options.runningMean', rm, spec);
  if (rv) checkTensor(op, 'options.runningVar', rv, spec);
  if (weight) checkTensor(op, 'options.weight', weight, spec);
  if (bias) checkTensor(op, 'options.bias', bias, spec);
  const training = checkBool(op, 'options.training', opts.training ?? false);
  const momentum = checkNumber(op, 'options.momentum', opts.momentum ?? 0.1, { min: 0, max: 1 });
  const eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-5, { min: 0 });
  const count = x.size / Math.max(c, 1);
  if (training && count <= 1) {
    throw new FoveaError({ op, arg: 'x', expected: 'more than 1 value per channel in training mode', got: `shape ${formatShape(x.shape)}` });
  }
  if (!training && (!rm || !rv)) {
    throw new FoveaError({ op, arg: 'options.runningMean', expected: 'running statistics in eval mode', got: 'none' });
  }
  if (training && ((rm && !(rm instanceof tf.Variable)) || (rv && !(rv instanceof tf.Variable)))) {
    throw new FoveaError({ op, arg: 'options.runningMean', expected: 'tf.Variables (updated in place) in training mode', got: 'plain tensors' });
  }
  return batchNormImpl(x, rm as tf.Variable | null, rv as tf.Variable | null, weight, bias, training, momentum, eps);
}

/** @internal Validated batch norm; `momentum` may be a scalar tensor (cumulative averaging). */
function batchNormImpl(
  x: tf.Tensor,
  rm: tf.Variable | tf.Tensor | null,
  rv: tf.Variable | tf.Tensor | null,
  weight: tf.Tensor | null,
  bias: tf.Tensor | null,
  training: boolean,
  momentum: number | tf.Tensor,
  eps: number,
): tf.Tensor {
  const c = x.shape[x.rank - 1]!;
  const count = x.size / Math.max(c, 1);
  return tf.tidy(() => {
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, c]); // [N·…, C]: rank ≤ 4 keeps tfjs-webgpu's broadcasting happy
    const axes = [0];
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training) {
      mean = tf.mean(x2, axes); // [C]
      variance = tf.mean(tf.square(tf.sub(x2, mean)), axes); // [C], biased
      const m = typeof momentum === 'number' ? tf.scalar(momentum) : momentum;
      const keep = tf.sub(1, m);
      if (rm) (rm as tf.Variable).assign(tf.add(tf.mul(rm, keep), tf.mul(mean, m)));
      if (rv) {
        const unbiased = tf.mul(variance, count / (count - 1));
        (rv as tf.Variable).assign(tf.add(tf.mul(rv, keep), tf.mul(unbiased, m)));
      }
    } else {
      mean = rm!;
      variance = rv!;
    }
    let scale = tf.rsqrt(tf.add(variance, eps)); // [C]
    if (weight) scale = tf.mul(scale, weight);
    const y = tf.mul(tf.sub(x2, mean), scale);
    const yb = bias ? tf.add(y, bias) : y;
    return x.rank === 2 ? yb : tf.reshape(yb, x.shape);
  });
}

/** Options for the BatchNorm modules. @category Normalization */
export interface BatchNormModuleOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Running-statistics factor; `null` = cumulative average (`1/num_batches_tracked`); default 0.1. */
  momentum?: number | null;
  /** Learn `weight` (γ, init 1) and `bias` (β, init 0); default `true`. */
  affine?: boolean;
  /** Keep `running_mean`, `running_var` and `num_batches_tracked` buffers; default `true`. */
  trackRunningStats?: boolean;
}

/** @internal The shared implementation of {@link BatchNorm1d} and {@link BatchNorm2d}. */
abstract class BatchNormBase extends Module<[tf.Tensor], tf.Tensor> {
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter | null;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;
  /** The `running_mean` buffer `[C]`, or `null` without running statistics. */
  readonly runningMean: Parameter | null;
  /** The `running_var` buffer `[C]`, or `null` without running statistics. */
  readonly runningVar: Parameter | null;
  /** The `num_batches_tracked` int32 scalar buffer, or `null` without running statistics. */
  readonly numBatchesTracked: Parameter | null;
  /** The number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-statistics update factor (`null`: cumulative average). */
  readonly momentum: number | null;
  protected abstract readonly ranks: readonly number[];

  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    super();
    const op = this.constructor.name;
    this.numFeatures = checkNumber(op, 'numFeatures', numFeatures, { integer: true, min: 1 });
    this.eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-5, { min: 0 });
    this.momentum = opts.momentum === null ? null : checkNumber(op, 'options.momentum', opts.momentum ?? 0.1, { min: 0, max: 1 });
    if (opts.affine ?? true) {
      this.weight = this.registerParameter('weight', tf.ones([numFeatures]));
      this.bias = this.registerParameter('bias', tf.zeros([numFeatures]));
    } else {
      this.weight = this.registerParameter('weight', null);
      this.bias = this.registerParameter('bias', null);
    }
    if (opts.trackRunningStats ?? true) {
      this.runningMean = this.registerBuffer('running_mean', tf.zeros([numFeatures]));
      this.runningVar = this.registerBuffer('running_var', tf.ones([numFeatures]));
      this.numBatchesTracked = this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
    } else {
      this.runningMean = this.runningVar = this.numBatchesTracked = null;
    }
  }

  /** `x [N, ..., C]` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    const op = `${this.constructor.name}.forward`;
    checkTensor(op, 'x', x, { rank: this.ranks, dtype: 'float32' });
    if (x.shape[x.rank - 1] !== this.numFeatures) {
      throw new FoveaError({ op, arg: 'x', expected: `${this.numFeatures} channels (last dim)`, got: `shape ${formatShape(x.shape)}` });
    }
    const useBatch = this.training || !this.runningMean;
    if (useBatch && x.size / this.numFeatures <= 1) {
      throw new FoveaError({ op, arg: 'x', expected: 'more than 1 value per channel in training mode', got: `shape ${formatShape(x.shape)}` });
    }
    return tf.tidy(() => {
      let momentum: number | tf.Tensor = this.momentum ?? 0;
      if (this.training && this.numBatchesTracked) {
        this.numBatchesTracked.assign(tf.add(this.numBatchesTracked, tf.scalar(1, 'int32')));
        // momentum null: cumulative average, factor 1 / num_batches_tracked
        if (this.momentum === null) momentum = tf.div(1, tf.cast(this.numBatchesTracked, 'float32'));
      }
      const track = this.training && this.runningMean !== null;
      return batchNormImpl(
        x,
        useBatch && !track ? null : this.runningMean,
        useBatch && !track ? null : this.runningVar,
        this.weight,
        this.bias,
        useBatch,
        momentum,
        this.eps,
      );
    });
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, L, C]` (PyTorch's
 * `nn.BatchNorm1d`, channels last): parameters `weight`, `bias` `[C]`; buffers
 * `running_mean`, `running_var` `[C]` and `num_batches_tracked` (int) under
 * PyTorch's names. See {@link batchNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BatchNorm1d } from '@fovea/layers';
 * const bn = new BatchNorm1d(16);
 * bn.forward(tf.randomNormal([8, 16])).shape; // [8, 16]; running stats updated
 * Object.keys(bn.stateDict()); // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 * ```
 * @category Normalization
 */
export class BatchNorm1d extends BatchNormBase {
  /** The input ranks it accepts: `[N, C]` and `[N, L, C]`. */
  protected readonly ranks = [2, 3];
}

/**
 * Batch normalisation over `[N, H, W, C]` (PyTorch's `nn.BatchNorm2d`,
 * channels last), with PyTorch's parameter and buffer names. See {@link batchNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BatchNorm2d } from '@fovea/layers';
 * const bn = new BatchNorm2d(32).eval();
 * bn.forward(tf.zeros([1, 8, 8, 32])).shape; // [1, 8, 8, 32]
 * ```
 * @category Normalization
 */
export class BatchNorm2d extends BatchNormBase {
  /** The input rank it accepts: `[N, H, W, C]`. */
  protected readonly ranks = [4];
}
