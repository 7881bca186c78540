import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape } from '@fovea/core';
import { Dropout, LayerNorm, Linear } from '@fovea/layers';
import { checkDivisible, checkSize, connectedZeros, genOpt } from '../_internal/args.js';
import { MultiheadAttention } from '../attention/multihead-attention.js';
import type { TransformerActivation } from './activation.js';
import { resolveLayerOptions, type TransformerLayerOptions } from './options.js';

/** Masks of a {@link TransformerEncoderLayer} call (PyTorch's conventions: bool `true` = blocked). @category Transformer */
export interface TransformerEncoderLayerCallOptions {
  /** `[S, S]` or `[B·nh, S, S]`: bool `true` = not allowed, or float32 added to the scores. Default none. */
  srcMask?: tf.Tensor | null;
  /** `[B, S]`: bool `true` = padding (ignored as a key), or float32 added. Default none. */
  srcKeyPaddingMask?: tf.Tensor | null;
  /** Also block key `j > i` for query `i` (OR-ed with `srcMask`); default `false`. */
  isCausal?: boolean;
}

/** @internal `linear2(dropout(act(linear1(x))))`, the position-wise feed-forward block. */
export function feedForward(x: tf.Tensor, linear1: Linear, act: (x: tf.Tensor) => tf.Tensor, drop: Dropout, linear2: Linear): tf.Tensor {
  return tf.tidy(() => linear2.forward(drop.forward(act(linear1.forward(x))))); // [B, S, E]
}

/** @internal Checks a `[B, S, E]` sequence of width `e`. */
export function checkSequence(op: string, arg: string, x: tf.Tensor, e: number): void {
  checkTensor(op, arg, x, { rank: 3, dtype: 'float32' });
  if (x.shape[2] !== e) throw new FoveaError({ op, arg, expected: `[B, S, ${e}] (d_model = ${e})`, got: `shape ${formatShape(x.shape)}` });
}

/**
 * One Transformer encoder layer, PyTorch's `nn.TransformerEncoderLayer`
 * (`batch_first=True`) with its parameter names (`self_attn.in_proj_weight`,
 * `linear1.weight`, `norm1.weight`, …) and semantics:
 * post-norm `x = norm1(x + SA(x)); y = norm2(x + FF(x))`, or with `normFirst`
 * pre-norm `x = x + SA(norm1(x)); y = x + FF(norm2(x))`, where `SA` is
 * multi-head self-attention and `FF(x) = linear2(dropout(act(linear1(x))))`.
 * Dropout (attention weights, `dropout1`, `dropout2`, inside FF) is active in
 * training mode only.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { TransformerEncoderLayer } from '@fovea/attention';
 * const layer = new TransformerEncoderLayer(64, 4, { dimFeedforward: 128, activation: 'gelu', normFirst: true });
 * layer.eval();
 * layer.forward(tf.randomNormal([2, 10, 64]), { isCausal: true }).shape; // [2, 10, 64]
 * ```
 * @category Transformer
 */
export class TransformerEncoderLayer extends Module<[tf.Tensor, TransformerEncoderLayerCallOptions?], tf.Tensor> {
  /** `E`, the model width. */
  readonly dModel: number;
  /** `nh`, the number of attention heads. */
  readonly nhead: number;
  /** Pre-norm (`true`) or post-norm (`false`). */
  readonly normFirst: boolean;
  /** The feed-forward activation. */
  readonly activation: TransformerActivation;
  /** Multi-head self-attention (`self_attn`). */
  readonly selfAttn: MultiheadAttention;
  /** Feed-forward input layer `Linear(E, F)`. */
  readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** Feed-forward output layer `Linear(F, E)`. */
  readonly linear2: Linear;
  /** LayerNorm of the attention sub-block. */
  readonly norm1: LayerNorm;
  /** LayerNorm of the feed-forward sub-block. */
  readonly norm2: LayerNorm;
  /** Dropout after self-attention. */
  readonly dropout1: Dropout;
  /** Dropout after the feed-forward block. */
  readonly dropout2: Dropout;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  /**
   * @param dModel `E`, the model width.
   * @param nhead `nh`, the number of attention heads (`E` divisible by it).
   * @param opts dimFeedforward, dropout, activation, layerNormEps, normFirst, generator.
   */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const op = 'TransformerEncoderLayer';
    this.dModel = checkSize(op, 'dModel', dModel);
    this.nhead = checkSize(op, 'nhead', nhead);
    checkDivisible(op, 'dModel', dModel, nhead, 'nhead');
    const o = resolveLayerOptions(op, opts);
    const gen = genOpt(o.generator);
    this.normFirst = o.normFirst;
    this.activation = o.activation;
    this.act = o.act;
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: o.dropout, ...gen }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, o.dimFeedforward, gen));
    this.dropout = this.registerModule('dropout', new Dropout(o.dropout, gen));
    this.linear2 = this.registerModule('linear2', new Linear(o.dimFeedforward, dModel, gen));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps: o.layerNormEps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps: o.layerNormEps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(o.dropout, gen));
    this.dropout2 = this.registerModule('dropout2', new Dropout(o.dropout, gen));
  }

  /** `src [B, S, E]` → `[B, S, E]`. Padded positions still produce outputs (they are only ignored as keys). */
  forward(src: tf.Tensor, opts: TransformerEncoderLayerCallOptions = {}): tf.Tensor {
    checkSequence('TransformerEncoderLayer.forward', 'src', src, this.dModel);
    if (src.size === 0) return connectedZeros(src.shape, [src]); // nothing to attend: no kernel may see an empty tensor
    const masks = { attnMask: opts.srcMask ?? null, keyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.isCausal ?? false, needWeights: false };
    const sa = (x: tf.Tensor) => this.dropout1.forward(this.selfAttn.forward(x, x, x, masks).output); // [B, S, E]
    const ff = (x: tf.Tensor) => this.dropout2.forward(feedForward(x, this.linear1, this.act, this.dropout, this.linear2)); // [B, S, E]
    return tf.tidy(() => {
      if (this.normFirst) {
        const x = tf.add(src, sa(this.norm1.forward(src)));
        return tf.add(x, ff(this.norm2.forward(x)));
      }
      const x = this.norm1.forward(tf.add(src, sa(src)));
      return this.norm2.forward(tf.add(x, ff(x)));
    });
  }
}
