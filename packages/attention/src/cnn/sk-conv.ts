import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList, ReLU, Sequential, checkTensor, formatShape, type Generator } from '@fovea/core';
import { BatchNorm2d, Conv2d } from '@fovea/layers';
import { checkDivisible, checkSize, genOpt } from '../_internal/args.js';
import { tidyObject } from '../_internal/tidy.js';

/** Options of {@link SKConv}. @category Attention in CNNs */
export interface SKConvOptions {
  /** Branches `M`: branch `m` is a 3×3 convolution with dilation `m + 1` (receptive field 3, 5, 7, …); default 2. */
  branches?: number;
  /** Channel groups `G` of the branch convolutions (the paper uses 32); default 1. */
  groups?: number;
  /** Reduction `r` of the fuse layer: `d = max(C / r, minDim)` channels; default 16. */
  reduction?: number;
  /** The smallest fuse width `L`; default 32. */
  minDim?: number;
  /** Stride of the branch convolutions; default 1. */
  stride?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** What {@link SKConv.forwardWithAttention} returns. @category Attention in CNNs */
export interface SKConvOutput {
  /** `[B, Ho, Wo, C]`. */
  output: tf.Tensor4D;
  /** `[B, M, C]` the branch weights of each channel (softmax over the `M` branches). */
  attention: tf.Tensor3D;
}

/**
 * Selective-kernel convolution (Li et al. 2019, SKNet), attention over
 * branches: `M` branches with growing receptive fields (3×3 convolutions with
 * dilation 1, 2, …, each + BatchNorm + ReLU) are summed (fuse), globally
 * pooled and squeezed to `d` channels (`fc`: 1×1 conv + BatchNorm + ReLU),
 * then for every channel a softmax over the branches (`fcs[m]`: 1×1 convs)
 * selects how much of each receptive field it takes:
 * `V = Σ_m softmax_m(fcs_m(z)) · U_m`. State-dict keys `convs.{m}.0.weight`,
 * `convs.{m}.1.*` (BatchNorm), `fc.0.weight`, `fc.1.*`, `fcs.{m}.weight/bias`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SKConv } from '@fovea/attention';
 * const sk = new SKConv(32, { branches: 2, reduction: 4, minDim: 8 });
 * sk.forward(tf.randomNormal([2, 14, 14, 32])).shape; // [2, 14, 14, 32]
 * ```
 * @category Attention in CNNs
 */
export class SKConv extends Module<[tf.Tensor], tf.Tensor4D> {
  /** `C`, the channels in and out. */
  readonly channels: number;
  /** `M`, the number of branches. */
  readonly branches: number;
  /** The branches: 3×3 conv (dilation m + 1) + BatchNorm + ReLU each. */
  readonly convs: ModuleList<Sequential>;
  /** The fuse layer: 1×1 conv `C → d` + BatchNorm + ReLU. */
  readonly fc: Sequential;
  /** The select layers: one 1×1 conv `d → C` per branch. */
  readonly fcs: ModuleList<Conv2d>;

  /**
   * @param channels `C` (in and out).
   * @param opts branches, groups, reduction, minDim, stride, generator.
   */
  constructor(channels: number, opts: SKConvOptions = {}) {
    super();
    const op = 'SKConv';
    const c = (this.channels = checkSize(op, 'channels', channels));
    const m = (this.branches = checkSize(op, 'options.branches', opts.branches ?? 2));
    const groups = checkSize(op, 'options.groups', opts.groups ?? 1);
    checkDivisible(op, 'channels', c, groups, 'options.groups');
    const d = Math.max(Math.floor(c / checkSize(op, 'options.reduction', opts.reduction ?? 16)), checkSize(op, 'options.minDim', opts.minDim ?? 32));
    const stride = checkSize(op, 'options.stride', opts.stride ?? 1);
    const gen = genOpt(opts.generator);
    const branches: Sequential[] = [];
    for (let i = 0; i < m; i++) {
      const conv = new Conv2d(c, c, 3, { stride, padding: 1 + i, dilation: 1 + i, groups, bias: false, ...gen });
      branches.push(new Sequential(conv, new BatchNorm2d(c), new ReLU()));
    }
    this.convs = this.registerModule('convs', new ModuleList(branches));
    this.fc = this.registerModule('fc', new Sequential(new Conv2d(c, d, 1, { bias: false, ...gen }), new BatchNorm2d(d), new ReLU()));
    const fcs: Conv2d[] = [];
    for (let i = 0; i < m; i++) fcs.push(new Conv2d(d, c, 1, gen));
    this.fcs = this.registerModule('fcs', new ModuleList(fcs));
  }

  /** `x [B, H, W, C]` → `[B, Ho, Wo, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    const r = this.forwardWithAttention(x);
    r.attention.dispose();
    return r.output;
  }

  /** `x [B, H, W, C]` → the output and the branch weights `[B, M, C]`. */
  forwardWithAttention(x: tf.Tensor): SKConvOutput {
    const op = 'SKConv.forward';
    checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
    if (x.shape[3] !== this.channels) throw new FoveaError({ op, arg: 'x', expected: `[B, H, W, ${this.channels}]`, got: `shape ${formatShape(x.shape)}` });
    const b = x.shape[0]!;
    const c = this.channels;
    return tidyObject(() => {
      const feats = [...this.convs].map((branch) => branch.forward(x)); // M × [B, Ho, Wo, C]
      const u = feats.reduce((acc, f) => tf.add(acc, f)); // fuse: [B, Ho, Wo, C]
      const z = this.fc.forward(tf.mean(u, [1, 2], true)); // [B, 1, 1, d]
      const logits = tf.stack([...this.fcs].map((fc) => tf.reshape(fc.forward(z), [b, c])), 1); // [B, M, C]
      const a = tf.softmax(tf.transpose(logits, [0, 2, 1])); // [B, C, M]: softmax over branches
      const attention = tf.transpose(a, [0, 2, 1]) as tf.Tensor3D; // [B, M, C]
      const parts = feats.map((f, i) => tf.mul(f, tf.reshape(tf.slice(attention, [0, i, 0], [b, 1, c]), [b, 1, 1, c])));
      return { output: parts.reduce((acc, p) => tf.add(acc, p)) as tf.Tensor4D, attention }; // select: [B, Ho, Wo, C]
    });
  }
}
