import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, type Generator } from '@fovea/core';
import { Embedding, LayerNorm, Linear } from '@fovea/layers';
import { LearnedPositionalEncoding, TransformerEncoder, TransformerEncoderLayer } from '@fovea/attention';
import { checkImageShape, checkSize, genOpt } from '../_internal/args.js';
import { checkDiscreteImage } from '../_internal/discrete.js';
import { bitsPerDim } from './bits-per-dim.js';

/** Options for {@link ImageTransformer}. @category Autoregressive */
export interface ImageTransformerOptions {
  /** The largest image `[H, W, C]` (positions are learned for `H·W` pixels; samplers may feed fewer rows). */
  imageShape: readonly [number, number, number];
  /** Values per channel `K`; default 2. */
  levels?: number;
  /** Model width `E`; default 64. */
  dModel?: number;
  /** Attention heads `nh`; default 4. */
  nhead?: number;
  /** Transformer layers; default 2. */
  numLayers?: number;
  /** Feed-forward width; default `4·E`. */
  dimFeedforward?: number;
  /** Dropout in the layers (training mode); default 0. */
  dropout?: number;
  /** Local attention (the Image Transformer's 1-D local blocks): each pixel attends to itself and at most `window − 1` pixels before it; default `H·W` (full causal attention). */
  window?: number;
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * An autoregressive transformer over pixels (after Parmar et al., 2018, "Image
 * Transformer", and Chen et al.'s iGPT): the image is read in raster order as
 * a sequence of `H·W` pixels; each pixel's input is the sum of an embedding per
 * channel value, the sequence is shifted right behind a learned start token,
 * and a learned position embedding is added; pre-norm
 * {@link TransformerEncoderLayer}s from @fovea/attention with a causal
 * (optionally local, banded) attention mask produce, at every pixel, `K` logits
 * per channel of `p(x_i | x_<i)` (the channels of one pixel are predicted
 * together from the earlier pixels, as in {@link PixelCNN}). Exact
 * log-likelihood, and sampling with {@link sampleAutoregressive}.
 *
 * Parameters: `tok_emb` (`[C·K + 1, E]`, the last row the start token), `pos_emb`,
 * `encoder.layers.*` (PyTorch `nn.TransformerEncoderLayer` names), `encoder.norm`, `head`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ImageTransformer } from '@fovea/generative';
 * const model = new ImageTransformer({ imageShape: [8, 8, 1], levels: 2, dModel: 32, nhead: 4, numLayers: 2 });
 * model.forward(tf.zeros([3, 8, 8, 1])).shape; // [3, 8, 8, 1, 2]
 * ```
 * @category Autoregressive
 */
export class ImageTransformer extends Module<[tf.Tensor], tf.Tensor> {
  /** `[H, W, C]`. */
  readonly imageShape: readonly [number, number, number];
  /** Values per channel `K`. */
  readonly levels: number;
  /** The attention window (pixels), `H·W` for full causal attention. */
  readonly window: number;
  /** Row `i`'s logits depend on rows `≤ i` only. */
  readonly rowCausal = true;
  /** `[C·K + 1, E]` value embeddings per channel, and the start token. */
  readonly tokEmb: Embedding;
  /** `[H·W, E]` learned positions. */
  readonly posEmb: LearnedPositionalEncoding;
  /** Pre-norm transformer layers and a final LayerNorm. */
  readonly encoder: TransformerEncoder;
  /** `[E]` → `[C·K]` logits. */
  readonly head: Linear;

  constructor(opts: ImageTransformerOptions) {
    super();
    const op = 'ImageTransformer';
    this.imageShape = checkImageShape(op, 'options.imageShape', opts?.imageShape);
    const [h, w, c] = this.imageShape;
    this.levels = checkSize(op, 'options.levels', opts.levels ?? 2, 2);
    const e = checkSize(op, 'options.dModel', opts.dModel ?? 64);
    const nh = checkSize(op, 'options.nhead', opts.nhead ?? 4);
    const layers = checkSize(op, 'options.numLayers', opts.numLayers ?? 2);
    const ff = checkSize(op, 'options.dimFeedforward', opts.dimFeedforward ?? 4 * e);
    const drop = checkNumber(op, 'options.dropout', opts.dropout ?? 0, { min: 0, lt: 1 });
    this.window = checkSize(op, 'options.window', opts.window ?? h * w);
    const g = genOpt(opts.generator);
    this.tokEmb = this.registerModule('tok_emb', new Embedding(c * this.levels + 1, e, g));
    this.posEmb = this.registerModule('pos_emb', new LearnedPositionalEncoding(h * w, e, g));
    const layer = () => new TransformerEncoderLayer(e, nh, { dimFeedforward: ff, dropout: drop, activation: 'gelu', normFirst: true, ...g });
    this.encoder = this.registerModule('encoder', new TransformerEncoder(layer, layers, { norm: new LayerNorm(e) }));
    this.head = this.registerModule('head', new Linear(e, c * this.levels, g));
  }

  /** `x [N, H', W, C]` (`H' ≤ H`, integer values in `[0, K)`) → logits `[N, H', W, C, K]`. */
  forward(x: tf.Tensor): tf.Tensor {
    const [n, rows, w, c] = checkDiscreteImage('ImageTransformer.forward', x, this.imageShape[2], [this.imageShape[0], this.imageShape[1]]);
    const t = rows * w;
    const k = this.levels;
    return tf.tidy(() => {
      const ids = tf.add(tf.cast(tf.reshape(x, [n, t, c]), 'int32'), tf.range(0, c * k, k, 'int32')); // [N, T, C]: channel c value v → c·K + v
      const pixels = tf.sum(this.tokEmb.forward(ids), 2); // [N, T, E]
      const start = tf.tile(this.tokEmb.forward(tf.fill([1, 1], c * k, 'int32')), [n, 1, 1]); // [N, 1, E]
      const shifted = tf.concat([start, tf.slice(pixels, [0, 0, 0], [n, t - 1, -1])], 1); // [N, T, E]: position i sees pixels < i
      const hidden = this.encoder.forward(this.posEmb.forward(shifted), { srcMask: this.mask(t) }); // [N, T, E]
      return tf.reshape(this.head.forward(hidden), [n, rows, w, c, k]); // [N, H', W, C, K]
    });
  }

  /** Exact `log p(x)` per image, `[N]` nats. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.neg(bitsPerDim(this.forward(x), tf.cast(x, 'int32'), { reduction: 'none' }).nll));
  }

  /** `[T, T]` bool, `true` = blocked: keys after the query, or more than `window − 1` before it. */
  private mask(t: number): tf.Tensor {
    const data = new Uint8Array(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j < t; j++) data[i * t + j] = j > i || j <= i - this.window ? 1 : 0;
    return tf.tensor2d(data, [t, t], 'bool');
  }
}
