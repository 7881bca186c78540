import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, type Generator, type Parameter } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkBool, checkSize, genOpt } from '../_internal/args.js';
import { tidyObject } from '../_internal/tidy.js';
import { scaledDotProductAttention } from '../attention/scaled-dot-product-attention.js';

/** Options of {@link SelfAttention2d}. @category Attention in CNNs */
export interface SelfAttention2dOptions {
  /** Query/key channels `C / reduction`; default 8 (SAGAN). */
  reduction?: number;
  /** Scale the scores by `1/√(C/reduction)` (Transformer-style) instead of 1 (SAGAN); default `false`. */
  scaled?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** What {@link SelfAttention2d} returns. @category Attention in CNNs */
export interface SelfAttention2dOutput {
  /** `[B, H, W, C]` the feature map plus `γ ·` attended features. */
  output: tf.Tensor4D;
  /** `[B, H·W, H·W]` how much each position (row, row-major) attends to each other position. */
  weights: tf.Tensor3D;
}

/**
 * Self-attention over a feature map (the SAGAN block of Zhang et al. 2019,
 * also a non-local block): every position is a query over all `H·W`
 * positions, `q = conv1x1(x)`, `k = conv1x1(x)` (`C/8` channels),
 * `v = conv1x1(x)` (`C`), `A = softmax(q·kᵀ)` over positions, and
 * `y = x + γ·(A·v)` with a learned scalar `γ` initialised to 0, so the block
 * starts as the identity and learns how much global context to mix in.
 * Parameters `query_conv`, `key_conv`, `value_conv`, `gamma` (SAGAN's names).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SelfAttention2d } from '@fovea/attention';
 * const sa = new SelfAttention2d(64);
 * const { output, weights } = sa.forward(tf.randomNormal([2, 8, 8, 64]));
 * output.shape;  // [2, 8, 8, 64]
 * weights.shape; // [2, 64, 64]
 * ```
 * @category Attention in CNNs
 */
export class SelfAttention2d extends Module<[tf.Tensor], SelfAttention2dOutput> {
  /** `C`, the channels. */
  readonly channels: number;
  /** Whether the scores are scaled by `1/√(C/r)`. */
  readonly scaled: boolean;
  /** The 1×1 query convolution `C → C/r` (`query_conv`). */
  readonly queryConv: Conv2d;
  /** The 1×1 key convolution `C → C/r` (`key_conv`). */
  readonly keyConv: Conv2d;
  /** The 1×1 value convolution `C → C` (`value_conv`). */
  readonly valueConv: Conv2d;
  /** `[1]` the residual gain γ (0 at initialisation). */
  readonly gamma: Parameter;

  /**
   * @param channels `C`.
   * @param opts reduction, scaled, generator.
   */
  constructor(channels: number, opts: SelfAttention2dOptions = {}) {
    super();
    const op = 'SelfAttention2d';
    this.channels = checkSize(op, 'channels', channels);
    const r = checkSize(op, 'options.reduction', opts.reduction ?? 8);
    const ck = Math.max(1, Math.floor(channels / r));
    this.scaled = checkBool(op, 'options.scaled', opts.scaled ?? false);
    const gen = genOpt(opts.generator);
    this.queryConv = this.registerModule('query_conv', new Conv2d(channels, ck, 1, gen));
    this.keyConv = this.registerModule('key_conv', new Conv2d(channels, ck, 1, gen));
    this.valueConv = this.registerModule('value_conv', new Conv2d(channels, channels, 1, gen));
    this.gamma = this.registerParameter('gamma', tf.zeros([1]));
  }

  /** `x [B, H, W, C]` → `output [B, H, W, C]` and `weights [B, H·W, H·W]`. */
  forward(x: tf.Tensor): SelfAttention2dOutput {
    const op = 'SelfAttention2d.forward';
    checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
    const [b, h, w, c] = x.shape as [number, number, number, number];
    if (c !== this.channels) throw new FoveaError({ op, arg: 'x', expected: `[B, H, W, ${this.channels}]`, got: `shape ${formatShape(x.shape)}` });
    return tidyObject(() => {
      const flat = (t: tf.Tensor) => tf.reshape(t, [b, h * w, t.shape[3]!]); // [B, N, ·], N = H·W positions
      const q = flat(this.queryConv.forward(x)); // [B, N, C/r]
      const k = flat(this.keyConv.forward(x)); // [B, N, C/r]
      const v = flat(this.valueConv.forward(x)); // [B, N, C]
      const r = scaledDotProductAttention(q, k, v, { scale: this.scaled ? null : 1 });
      const output = tf.add(x, tf.mul(this.gamma, tf.reshape(r.output, [b, h, w, c]))) as tf.Tensor4D; // [B, H, W, C]
      return { output, weights: r.weights as tf.Tensor3D }; // weights [B, N, N]
    });
  }
}
