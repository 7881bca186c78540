import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@fovea/core';
import { Dropout, LayerNorm, Linear } from '@fovea/layers';
import { checkDivisible, checkSize, connectedZeros, genOpt } from '../_internal/args.js';
import { MultiheadAttention } from '../attention/multihead-attention.js';
import type { TransformerActivation } from './activation.js';
import { resolveLayerOptions, type TransformerLayerOptions } from './options.js';
import { checkSequence, feedForward } from './transformer-encoder-layer.js';

/** Masks of a {@link TransformerDecoderLayer} call (PyTorch's conventions: bool `true` = blocked). @category Transformer */
export interface TransformerDecoderLayerCallOptions {
  /** `[T, T]` or `[B·nh, T, T]` self-attention mask: bool `true` = not allowed, or float32 added. Default none. */
  tgtMask?: tf.Tensor | null;
  /** `[T, S]` or `[B·nh, T, S]` cross-attention mask, likewise. Default none. */
  memoryMask?: tf.Tensor | null;
  /** `[B, T]` target padding: bool `true` = ignore that key. Default none. */
  tgtKeyPaddingMask?: tf.Tensor | null;
  /** `[B, S]` memory padding: bool `true` = ignore that key. Default none. */
  memoryKeyPaddingMask?: tf.Tensor | null;
  /** Causal self-attention (target `i` sees targets `j <= i`), combined with `tgtMask`; default `false`. */
  tgtIsCausal?: boolean;
  /** Causal cross-attention (top-left aligned), combined with `memoryMask`; default `false`. */
  memoryIsCausal?: boolean;
}

/**
 * One Transformer decoder layer, PyTorch's `nn.TransformerDecoderLayer`
 * (`batch_first=True`) with its parameter names (`self_attn.*`,
 * `multihead_attn.*`, `linear1/2`, `norm1/2/3`): masked self-attention over
 * the target, cross-attention from the target to the encoder's `memory`, and
 * the feed-forward block, each with a residual connection, post-norm
 * (`x = norm(x + f(x))`) or pre-norm with `normFirst` (`x = x + f(norm(x))`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { TransformerDecoderLayer } from '@fovea/attention';
 * const layer = new TransformerDecoderLayer(32, 4, { dimFeedforward: 64 });
 * const tgt = tf.randomNormal([2, 7, 32]);     // [B, T, E]
 * const memory = tf.randomNormal([2, 12, 32]); // [B, S, E]
 * layer.forward(tgt, memory, { tgtIsCausal: true }).shape; // [2, 7, 32]
 * ```
 * @category Transformer
 */
export class TransformerDecoderLayer extends Module<[tf.Tensor, tf.Tensor, TransformerDecoderLayerCallOptions?], tf.Tensor> {
  /** `E`, the model width. */
  readonly dModel: number;
  /** `nh`, the number of attention heads. */
  readonly nhead: number;
  /** Pre-norm (`true`) or post-norm (`false`). */
  readonly normFirst: boolean;
  /** The feed-forward activation. */
  readonly activation: TransformerActivation;
  /** Masked multi-head self-attention over the target (`self_attn`). */
  readonly selfAttn: MultiheadAttention;
  /** Cross-attention from the target to the memory (`multihead_attn`). */
  readonly multiheadAttn: MultiheadAttention;
  /** Feed-forward input layer `Linear(E, F)`. */
  readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** Feed-forward output layer `Linear(F, E)`. */
  readonly linear2: Linear;
  /** LayerNorm of the self-attention sub-block. */
  readonly norm1: LayerNorm;
  /** LayerNorm of the cross-attention sub-block. */
  readonly norm2: LayerNorm;
  /** LayerNorm of the feed-forward sub-block. */
  readonly norm3: LayerNorm;
  /** Dropout after self-attention. */
  readonly dropout1: Dropout;
  /** Dropout after cross-attention. */
  readonly dropout2: Dropout;
  /** Dropout after the feed-forward block. */
  readonly dropout3: Dropout;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  /**
   * @param dModel `E`, the model width (of the target and the memory).
   * @param nhead `nh` (`E` divisible by it).
   * @param opts dimFeedforward, dropout, activation, layerNormEps, normFirst, generator.
   */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const op = 'TransformerDecoderLayer';
    this.dModel = checkSize(op, 'dModel', dModel);
    this.nhead = checkSize(op, 'nhead', nhead);
    checkDivisible(op, 'dModel', dModel, nhead, 'nhead');
    const o = resolveLayerOptions(op, opts);
    const gen = genOpt(o.generator);
    this.normFirst = o.normFirst;
    this.activation = o.activation;
    this.act = o.act;
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: o.dropout, ...gen }));
    this.multiheadAttn = this.registerModule('multihead_attn', new MultiheadAttention(dModel, nhead, { dropout: o.dropout, ...gen }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, o.dimFeedforward, gen));
    this.dropout = this.registerModule('dropout', new Dropout(o.dropout, gen));
    this.linear2 = this.registerModule('linear2', new Linear(o.dimFeedforward, dModel, gen));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps: o.layerNormEps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps: o.layerNormEps }));
    this.norm3 = this.registerModule('norm3', new LayerNorm(dModel, { eps: o.layerNormEps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(o.dropout, gen));
    this.dropout2 = this.registerModule('dropout2', new Dropout(o.dropout, gen));
    this.dropout3 = this.registerModule('dropout3', new Dropout(o.dropout, gen));
  }

  /** `tgt [B, T, E]`, `memory [B, S, E]` → `[B, T, E]`. */
  forward(tgt: tf.Tensor, memory: tf.Tensor, opts: TransformerDecoderLayerCallOptions = {}): tf.Tensor {
    const op = 'TransformerDecoderLayer.forward';
    checkSequence(op, 'tgt', tgt, this.dModel);
    checkSequence(op, 'memory', memory, this.dModel);
    if (tgt.size === 0) return connectedZeros(tgt.shape, [tgt, memory]); // no queries: no kernel may see an empty tensor
    const selfMasks = { attnMask: opts.tgtMask ?? null, keyPaddingMask: opts.tgtKeyPaddingMask ?? null, isCausal: opts.tgtIsCausal ?? false, needWeights: false };
    const crossMasks = { attnMask: opts.memoryMask ?? null, keyPaddingMask: opts.memoryKeyPaddingMask ?? null, isCausal: opts.memoryIsCausal ?? false, needWeights: false };
    const sa = (x: tf.Tensor) => this.dropout1.forward(this.selfAttn.forward(x, x, x, selfMasks).output); // [B, T, E]
    const ca = (x: tf.Tensor) => this.dropout2.forward(this.multiheadAttn.forward(x, memory, memory, crossMasks).output); // [B, T, E]
    const ff = (x: tf.Tensor) => this.dropout3.forward(feedForward(x, this.linear1, this.act, this.dropout, this.linear2)); // [B, T, E]
    return tf.tidy(() => {
      let x = tgt;
      if (this.normFirst) {
        x = tf.add(x, sa(this.norm1.forward(x)));
        x = tf.add(x, ca(this.norm2.forward(x)));
        return tf.add(x, ff(this.norm3.forward(x)));
      }
      x = this.norm1.forward(tf.add(x, sa(x)));
      x = this.norm2.forward(tf.add(x, ca(x)));
      return this.norm3.forward(tf.add(x, ff(x)));
    });
  }
}
