import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, type Parameter } from '@fovea/core';

/**
 * Group normalisation, PyTorch's `F.group_norm` with channels last: the `C`
 * channels are split into `numGroups` contiguous groups and each sample is
 * normalised per group over the group's channels and all positions (biased
 * variance), then scaled and shifted per channel. Differentiable.
 *
 * @param x `[N, ..., C]` (e.g. `[N, H, W, C]`), `C` divisible by `numGroups`.
 * @param numGroups `G`.
 * @param weight `[C]` scale, or `null`.
 * @param bias `[C]` shift, or `null`.
 * @param eps added to the variance; default 1e-5.
 * @returns the same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { groupNorm } from '@fovea/layers';
 * groupNorm(tf.randomNormal([2, 8, 8, 32]), 8).shape; // [2, 8, 8, 32]
 * ```
 * @category Normalization
 */
export function groupNorm(x: tf.Tensor, numGroups: number, weight: tf.Tensor | null = null, bias: tf.Tensor | null = null, eps = 1e-5): tf.Tensor {
  const op = 'groupNorm';
  checkTensor(op, 'x', x, { minRank: 2, dtype: 'float32' });
  const g = checkNumber(op, 'numGroups', numGroups, { integer: true, min: 1 });
  const c = x.shape[x.rank - 1]!;
  if (c % g !== 0) {
    throw new FoveaError({ op, arg: 'x', expected: `a channel count divisible by numGroups = ${g}`, got: `${c} channels` });
  }
  if (weight) checkTensor(op, 'weight', weight, { shape: [c], dtype: 'float32' });
  if (bias) checkTensor(op, 'bias', bias, { shape: [c], dtype: 'float32' });
  checkNumber(op, 'eps', eps, { min: 0 });
  if (x.size === 0) return tf.tidy(() => tf.mul(x, 1));
  const n = x.shape[0]!;
  return tf.tidy(() => {
    const grouped = tf.reshape(x, [n, -1, g, c / g]); // [N, S, G, C/G]
    const mean = tf.mean(grouped, [1, 3], true);
    const centred = tf.sub(grouped, mean);
    const variance = tf.mean(tf.square(centred), [1, 3], true);
    let y = tf.reshape(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), [-1, c]); // [N·S, C]
    if (weight) y = tf.mul(y, weight);
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, x.shape); // [N, ..., C]
  });
}

/** Options for the {@link GroupNorm} module. @category Normalization */
export interface GroupNormOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Learn per-channel `weight` (init 1) and `bias` (init 0); default `true`. */
  affine?: boolean;
}

/**
 * A group-normalisation layer (PyTorch's `nn.GroupNorm`) with parameters
 * `weight` and `bias` `[C]`. See {@link groupNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GroupNorm } from '@fovea/layers';
 * new GroupNorm(4, 16).forward(tf.zeros([1, 8, 8, 16])).shape; // [1, 8, 8, 16]
 * ```
 * @category Normalization
 */
export class GroupNorm extends Module<[tf.Tensor], tf.Tensor> {
  /** The number of groups `G`. */
  readonly numGroups: number;
  /** The number of channels `C`. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter | null;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;

  /**
   * @param numGroups `G`, a divisor of `numChannels`.
   * @param numChannels `C`.
   * @param opts eps, affine.
   */
  constructor(numGroups: number, numChannels: number, opts: GroupNormOptions = {}) {
    super();
    this.numGroups = checkNumber('GroupNorm', 'numGroups', numGroups, { integer: true, min: 1 });
    this.numChannels = checkNumber('GroupNorm', 'numChannels', numChannels, { integer: true, min: 1 });
    if (numChannels % numGroups !== 0) {
      throw new FoveaError({ op: 'GroupNorm', arg: 'numChannels', expected: `divisible by numGroups = ${numGroups}`, got: String(numChannels) });
    }
    this.eps = checkNumber('GroupNorm', 'options.eps', opts.eps ?? 1e-5, { min: 0 });
    const affine = opts.affine ?? true;
    this.weight = affine ? this.registerParameter('weight', tf.ones([numChannels])) : this.registerParameter('weight', null);
    this.bias = affine ? this.registerParameter('bias', tf.zeros([numChannels])) : this.registerParameter('bias', null);
  }

  /** `x [N, ..., C]` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
}
