import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkOneOf, checkTensor, formatShape, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';
import type { MaskType } from './masked-conv2d.js';

/** Options for {@link GatedMaskedConv2d}. @category Autoregressive */
export interface GatedMaskedConv2dOptions {
  /** `'A'` for the first layer (the horizontal stack does not see the current pixel), `'B'` after; default `'B'`. */
  maskType?: MaskType;
  /** Add the horizontal input to its output (needs `inChannels = channels` and type `'B'`); default: when possible. */
  residual?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** `tanh(a) ⊙ σ(b)` over the two halves of the last dim. */
function gate(x: tf.Tensor): tf.Tensor {
  const [a, b] = tf.split(x, 2, -1) as [tf.Tensor, tf.Tensor];
  return tf.mul(tf.tanh(a), tf.sigmoid(b));
}

/**
 * One layer of the gated PixelCNN (van den Oord et al., 2016, "Conditional
 * Image Generation with PixelCNN Decoders"): a **vertical stack** that sees
 * every pixel in the rows above (a `(k//2 + 1) × k` convolution padded so
 * output row `i` reads rows `i − k//2 … i`, then shifted down one row before it
 * feeds the horizontal stack) and a **horizontal stack** that sees the pixels
 * to the left on the current row (a `1 × (k//2 + 1)` convolution, `1 × k//2` ending
 * one pixel to the left for type A). Both use the gated activation `tanh(W_f ∗ x) ⊙ σ(W_g ∗ x)`. Together
 * they have no blind spot, unlike the masked-convolution PixelCNN.
 *
 * Parameters: `v_conv`, `v_to_h` (1×1), `h_conv`, `h_out` (1×1), each a `Conv2d`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GatedMaskedConv2d } from '@fovea/generative';
 * const first = new GatedMaskedConv2d(1, 32, 7, { maskType: 'A' });
 * const x = tf.zeros([2, 28, 28, 1]);
 * const [v, h] = first.forward(x, x); // each [2, 28, 28, 32]
 * ```
 * @category Autoregressive
 */
export class GatedMaskedConv2d extends Module<[tf.Tensor, tf.Tensor], [tf.Tensor, tf.Tensor]> {
  /** `'A'` or `'B'`. */
  readonly maskType: MaskType;
  /** Whether the horizontal stack is residual. */
  readonly residual: boolean;
  /** Input channels of both stacks. */
  readonly inChannels: number;
  /** Output channels of both stacks. */
  readonly channels: number;
  /** Vertical `(k//2+1) × k` convolution to `2·channels` (filter and gate). */
  readonly vConv: Conv2d;
  /** 1×1 link from the (shifted) vertical features to the horizontal stack. */
  readonly vToH: Conv2d;
  /** Horizontal `1 × (k//2+1)` (`1 × k//2` for type A) convolution to `2·channels`. */
  readonly hConv: Conv2d;
  /** 1×1 output of the horizontal stack. */
  readonly hOut: Conv2d;

  /**
   * @param inChannels input channels of both stacks.
   * @param channels output channels of both stacks.
   * @param kernelSize odd `k` (≥ 3 for type A).
   * @param opts maskType (default `'B'`), residual, generator.
   */
  constructor(inChannels: number, channels: number, kernelSize: number, opts: GatedMaskedConv2dOptions = {}) {
    super();
    const op = 'GatedMaskedConv2d';
    this.inChannels = checkSize(op, 'inChannels', inChannels);
    this.channels = checkSize(op, 'channels', channels);
    const k = checkSize(op, 'kernelSize', kernelSize);
    this.maskType = checkOneOf(op, 'options.maskType', opts.maskType ?? 'B', ['A', 'B'] as const);
    if (k % 2 === 0 || (this.maskType === 'A' && k < 3)) {
      throw new FoveaError({ op, arg: 'kernelSize', expected: this.maskType === 'A' ? 'an odd size >= 3 for type A' : 'an odd size', got: String(k) });
    }
    const canResidual = this.maskType === 'B' && inChannels === channels;
    this.residual = opts.residual ?? canResidual;
    if (this.residual && !canResidual) {
      throw new FoveaError({ op, arg: 'options.residual', expected: 'false unless maskType is B and inChannels = channels', got: 'true' });
    }
    const c = k >> 1;
    const g = genOpt(opts.generator);
    const hw = this.maskType === 'A' ? c : c + 1;
    this.vConv = this.registerModule('v_conv', new Conv2d(inChannels, 2 * channels, [c + 1, k], { padding: [[c, 0], [c, c]], ...g })); // rows i−c…i
    this.vToH = this.registerModule('v_to_h', new Conv2d(2 * channels, 2 * channels, 1, g));
    this.hConv = this.registerModule('h_conv', new Conv2d(inChannels, 2 * channels, [1, hw], { padding: [[0, 0], [c, 0]], ...g })); // cols j−c…j (…j−1 for A)
    this.hOut = this.registerModule('h_out', new Conv2d(channels, channels, 1, g));
  }

  /** `v`, `h` `[N, H, W, Cin]` (the image itself, twice, for the first layer) → new `[v, h]`, each `[N, H, W, channels]`. */
  forward(v: tf.Tensor, h: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const op = 'GatedMaskedConv2d.forward';
    const dims = {};
    checkTensor(op, 'v', v, { shape: ['N', 'H', 'W', this.inChannels], dtype: 'float32' }, dims);
    checkTensor(op, 'h', h, { shape: ['N', 'H', 'W', this.inChannels], dtype: 'float32' }, dims);
    if (v.size === 0) throw new FoveaError({ op, arg: 'v', expected: 'a non-empty batch', got: `shape ${formatShape(v.shape)}` });
    return tf.tidy(() => {
      const vf = this.vConv.forward(v); // [N, H, W, 2C], row i sees rows ≤ i
      const rows = v.shape[1]!;
      const vShift = tf.slice(tf.pad(vf, [[0, 0], [1, 0], [0, 0], [0, 0]]), [0, 0, 0, 0], [-1, rows, -1, -1]); // row i sees rows < i
      let hc = this.hConv.forward(h); // [N, H, W, 2C] (type A: [N, H, W + 1, 2C], the last column reads past the row)
      if (this.maskType === 'A') hc = tf.slice(hc, [0, 0, 0, 0], [-1, -1, v.shape[2]!, -1]);
      const hf = tf.add(hc, this.vToH.forward(vShift)); // [N, H, W, 2C]
      let hNew = this.hOut.forward(gate(hf)); // [N, H, W, C]
      if (this.residual) hNew = tf.add(hNew, h);
      return [gate(vf), hNew] as [tf.Tensor, tf.Tensor];
    });
  }
}
