import * as tf from '@tensorflow/tfjs-core';
import { Module, xavierUniform } from '@fovea/core';
import { LayerNorm } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';
import type { TransformerLayerOptions } from './options.js';
import { TransformerDecoderLayer } from './transformer-decoder-layer.js';
import { TransformerDecoder } from './transformer-decoder.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** Options of {@link Transformer} (PyTorch's `nn.Transformer` arguments and defaults). @category Transformer */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Model width `E`; default 512. */
  dModel?: number;
  /** Attention heads `nh`; default 8. */
  nhead?: number;
  /** Encoder layers; default 6. */
  numEncoderLayers?: number;
  /** Decoder layers; default 6. */
  numDecoderLayers?: number;
}

/** Masks of a {@link Transformer} call (PyTorch's conventions: bool `true` = blocked). @category Transformer */
export interface TransformerCallOptions {
  /** `[S, S]` encoder self-attention mask. */
  srcMask?: tf.Tensor | null;
  /** `[T, T]` decoder self-attention mask (see {@link generateSquareSubsequentMask}). */
  tgtMask?: tf.Tensor | null;
  /** `[T, S]` cross-attention mask. */
  memoryMask?: tf.Tensor | null;
  /** `[B, S]` source padding (`true` = padding). */
  srcKeyPaddingMask?: tf.Tensor | null;
  /** `[B, T]` target padding. */
  tgtKeyPaddingMask?: tf.Tensor | null;
  /** `[B, S]` memory padding (usually the source padding). */
  memoryKeyPaddingMask?: tf.Tensor | null;
  /** Causal encoder self-attention; default `false`. */
  srcIsCausal?: boolean;
  /** Causal decoder self-attention; default `false`. */
  tgtIsCausal?: boolean;
}

/**
 * PyTorch's causal mask for a sequence of `size`: `[size, size]` float32 with
 * `-Infinity` above the diagonal and 0 elsewhere
 * (`nn.Transformer.generate_square_subsequent_mask`), to pass as an additive
 * `attnMask`/`tgtMask`.
 *
 * @param size `T`.
 * @returns `[T, T]`.
 * @example
 * ```ts
 * import { generateSquareSubsequentMask } from '@fovea/attention';
 * generateSquareSubsequentMask(3).arraySync(); // [[0, -Inf, -Inf], [0, 0, -Inf], [0, 0, 0]]
 * ```
 * @category Transformer
 */
export function generateSquareSubsequentMask(size: number): tf.Tensor2D {
  const n = checkSize('generateSquareSubsequentMask', 'size', size, 0);
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) data[i * n + j] = -Infinity;
  return tf.tensor2d(data, [n, n]);
}

/**
 * The encoder–decoder Transformer of Vaswani et al., PyTorch's
 * `nn.Transformer` (`batch_first=True`): an encoder stack and a decoder stack
 * (cross-attending to the encoder's output), each ending in a LayerNorm, with
 * PyTorch's keys (`encoder.layers.0.*`, `encoder.norm.*`, `decoder.layers.0.*`,
 * `decoder.norm.*`), every weight matrix Xavier-uniform initialised as in
 * PyTorch. Embeddings and the output head are the caller's.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Transformer } from '@fovea/attention';
 * const model = new Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 64 });
 * const src = tf.randomNormal([2, 12, 32]); // [B, S, E]
 * const tgt = tf.randomNormal([2, 7, 32]);  // [B, T, E]
 * model.forward(src, tgt, { tgtIsCausal: true }).shape; // [2, 7, 32]
 * ```
 * @category Transformer
 */
export class Transformer extends Module<[tf.Tensor, tf.Tensor, TransformerCallOptions?], tf.Tensor> {
  /** `E`, the model width. */
  readonly dModel: number;
  /** `nh`, the number of attention heads. */
  readonly nhead: number;
  /** The encoder stack with its final norm. */
  readonly encoder: TransformerEncoder;
  /** The decoder stack with its final norm. */
  readonly decoder: TransformerDecoder;

  /** @param opts widths, depths and the layer options. */
  constructor(opts: TransformerOptions = {}) {
    super();
    const op = 'Transformer';
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layerOpts } = opts;
    this.dModel = checkSize(op, 'options.dModel', dModel);
    this.nhead = checkSize(op, 'options.nhead', nhead);
    checkSize(op, 'options.numEncoderLayers', numEncoderLayers, 0);
    checkSize(op, 'options.numDecoderLayers', numDecoderLayers, 0);
    const eps = layerOpts.layerNormEps === undefined ? {} : { eps: layerOpts.layerNormEps };
    this.encoder = this.registerModule('encoder', new TransformerEncoder(() => new TransformerEncoderLayer(dModel, nhead, layerOpts), numEncoderLayers, { norm: new LayerNorm(dModel, eps) }));
    this.decoder = this.registerModule('decoder', new TransformerDecoder(() => new TransformerDecoderLayer(dModel, nhead, layerOpts), numDecoderLayers, { norm: new LayerNorm(dModel, eps) }));
    // PyTorch's _reset_parameters: Xavier-uniform for every matrix
    for (const p of this.parameters()) if (p.rank > 1) xavierUniform(p, genOpt(layerOpts.generator));
  }

  /** `src [B, S, E]`, `tgt [B, T, E]` → `[B, T, E]`. */
  forward(src: tf.Tensor, tgt: tf.Tensor, opts: TransformerCallOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      const memory = this.encoder.forward(src, { srcMask: opts.srcMask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.srcIsCausal ?? false });
      return this.decoder.forward(tgt, memory, {
        tgtMask: opts.tgtMask ?? null,
        memoryMask: opts.memoryMask ?? null,
        tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null,
        memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null,
        tgtIsCausal: opts.tgtIsCausal ?? false,
      });
    });
  }
}
