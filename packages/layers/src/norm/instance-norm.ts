import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, type Parameter } from '@fovea/core';
import { checkBool } from '../_internal/args.js';

/** Options for {@link instanceNorm}. @category Normalization */
export interface InstanceNormOptions {
  /** `[C]` scale, or none. */
  weight?: tf.Tensor | null;
  /** `[C]` shift, or none. */
  bias?: tf.Tensor | null;
  /** `[C]` running mean (used when `useInputStats` is false; updated in place when it is a `tf.Variable` and `useInputStats` is true). */
  runningMean?: tf.Tensor | null;
  /** `[C]` running variance, likewise. */
  runningVar?: tf.Tensor | null;
  /** Normalise with each instance's own statistics; default `true`. */
  useInputStats?: boolean;
  /** Running-statistics factor; default 0.1. */
  momentum?: number;
  /** Added to the variance; default 1e-5. */
  eps?: number;
}

/**
 * Instance normalisation, PyTorch's `F.instance_norm` with channels last:
 * each `(n, c)` map is normalised over its positions (biased variance), then
 * scaled and shifted per channel. Running statistics, when given as
 * `tf.Variable`s, are updated with the batch average of the per-instance mean
 * and unbiased variance. Differentiable.
 *
 * @param x `[N, ..., C]` (e.g. `[N, H, W, C]`).
 * @param opts weight, bias, running statistics, useInputStats, momentum, eps.
 * @returns the same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { instanceNorm } from '@fovea/layers';
 * instanceNorm(tf.randomNormal([2, 16, 16, 3])).shape; // [2, 16, 16, 3]
 * ```
 * @category Normalization
 */
export function instanceNorm(x: tf.Tensor, opts: InstanceNormOptions = {}): tf.Tensor {
  const op = 'instanceNorm';
  checkTensor(op, 'x', x, { minRank: 3, dtype: 'float32' });
  const c = x.shape[x.rank - 1]!;
  const spec = { shape: [c], dtype: 'float32' as const };
  const { weight = null, bias = null, runningMean: rm = null, runningVar: rv = null } = opts;
  if (weight) checkTensor(op, 'options.weight', weight, spec);
  if (bias) checkTensor(op, 'options.bias', bias, spec);
  if (rm) checkTensor(op, 'options.runningMean', rm, spec);
  if (rv) checkTensor(op, 'options.runningVar', rv, spec);
  const useInput = checkBool(op, 'options.useInputStats', opts.useInputStats ?? true);
  const momentum = checkNumber(op, 'options.momentum', opts.momentum ?? 0.1, { min: 0, max: 1 });
  const eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-5, { min: 0 });
  const count = x.shape.slice(1, -1).reduce((a, b) => a * b, 1);
  if (useInput && count <= 1) {
    throw new FoveaError({ op, arg: 'x', expected: 'more than 1 position per instance', got: `shape ${formatShape(x.shape)}` });
  }
  if (!useInput && (!rm || !rv)) {
    throw new FoveaError({ op, arg: 'options.runningMean', expected: 'running statistics when useInputStats is false', got: 'none' });
  }
  return tf.tidy(() => {
    const x3 = tf.reshape(x, [x.shape[0]!, count, c]); // [N, S, C]: rank ≤ 4 for tfjs-webgpu
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (useInput) {
      mean = tf.mean(x3, 1, true); // [N, 1, C]
      variance = tf.mean(tf.square(tf.sub(x3, mean)), 1, true); // biased
      if (rm instanceof tf.Variable) rm.assign(tf.add(tf.mul(rm, 1 - momentum), tf.mul(tf.reshape(tf.mean(mean, 0), [c]), momentum)));
      if (rv instanceof tf.Variable) {
        const unbiased = tf.mul(tf.reshape(tf.mean(variance, 0), [c]), count / (count - 1));
        rv.assign(tf.add(tf.mul(rv, 1 - momentum), tf.mul(unbiased, momentum)));
      }
    } else {
      mean = rm!;
      variance = rv!;
    }
    let y = tf.mul(tf.sub(x3, mean), tf.rsqrt(tf.add(variance, eps)));
    if (weight) y = tf.mul(y, weight);
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, x.shape);
  });
}

/** Options for the InstanceNorm modules. @category Normalization */
export interface InstanceNormModuleOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Running-statistics factor; default 0.1. */
  momentum?: number;
  /** Learn per-channel `weight` and `bias`; default `false` (PyTorch's default). */
  affine?: boolean;
  /** Keep running statistics (used in eval mode); default `false` (PyTorch's default). */
  trackRunningStats?: boolean;
}

/** @internal Shared implementation of the InstanceNorm modules. */
abstract class InstanceNormBase extends Module<[tf.Tensor], tf.Tensor> {
  /** The number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-statistics update factor (`null`: cumulative average). */
  readonly momentum: number;
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
  protected abstract readonly rank: number;

  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super();
    const op = this.constructor.name;
    this.numFeatures = checkNumber(op, 'numFeatures', numFeatures, { integer: true, min: 1 });
    this.eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-5, { min: 0 });
    this.momentum = checkNumber(op, 'options.momentum', opts.momentum ?? 0.1, { min: 0, max: 1 });
    const affine = opts.affine ?? false;
    this.weight = affine ? this.registerParameter('weight', tf.ones([numFeatures])) : this.registerParameter('weight', null);
    this.bias = affine ? this.registerParameter('bias', tf.zeros([numFeatures])) : this.registerParameter('bias', null);
    if (opts.trackRunningStats ?? false) {
      this.runningMean = this.registerBuffer('running_mean', tf.zeros([numFeatures]));
      this.runningVar = this.registerBuffer('running_var', tf.ones([numFeatures]));
      this.numBatchesTracked = this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
    } else {
      this.runningMean = this.runningVar = this.numBatchesTracked = null;
    }
  }

  /** `x` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    const op = `${this.constructor.name}.forward`;
    checkTensor(op, 'x', x, { rank: this.rank, dtype: 'float32' });
    if (x.shape[x.rank - 1] !== this.numFeatures) {
      throw new FoveaError({ op, arg: 'x', expected: `${this.numFeatures} channels (last dim)`, got: `shape ${formatShape(x.shape)}` });
    }
    const useInput = this.training || !this.runningMean;
    if (this.training && this.numBatchesTracked) {
      tf.tidy(() => this.numBatchesTracked!.assign(tf.add(this.numBatchesTracked!, tf.scalar(1, 'int32'))));
    }
    return instanceNorm(x, {
      weight: this.weight,
      bias: this.bias,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      useInputStats: useInput,
      momentum: this.momentum,
      eps: this.eps,
    });
  }
}

/**
 * Instance normalisation over `[N, H, W, C]` (PyTorch's `nn.InstanceNorm2d`,
 * channels last); optional `weight`/`bias` and running statistics under
 * PyTorch's names. See {@link instanceNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { InstanceNorm2d } from '@fovea/layers';
 * new InstanceNorm2d(3, { affine: true }).forward(tf.randomNormal([1, 8, 8, 3])).shape; // [1, 8, 8, 3]
 * ```
 * @category Normalization
 */
export class InstanceNorm2d extends InstanceNormBase {
  /** The input rank it accepts: `[N, H, W, C]`. */
  protected readonly rank = 4;
}

/**
 * Instance normalisation over `[N, L, C]` (PyTorch's `nn.InstanceNorm1d`,
 * channels last). See {@link instanceNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { InstanceNorm1d } from '@fovea/layers';
 * new InstanceNorm1d(4).forward(tf.randomNormal([2, 10, 4])).shape; // [2, 10, 4]
 * ```
 * @category Normalization
 */
export class InstanceNorm1d extends InstanceNormBase {
  /** The input rank it accepts: `[N, L, C]`. */
  protected readonly rank = 3;
}
