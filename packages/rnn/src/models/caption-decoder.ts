import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkTensor, type Generator } from '@fovea/core';
import { Embedding, Linear } from '@fovea/layers';
import { LSTMCell } from '../cells/lstm-cell.js';
import { LSTM } from '../recurrent/lstm.js';
import { BahdanauAttention } from './bahdanau-attention.js';

/** Options of {@link CaptionDecoder}. @category Models */
export interface CaptionDecoderOptions {
  /** Channels C of the encoder's feature map. */
  featureDim: number;
  /** Vocabulary size V (including the start/end/padding tokens). */
  vocabSize: number;
  /** Word embedding size. Default 64. */
  embeddingDim?: number;
  /** LSTM hidden size H. Default 256. */
  hiddenSize?: number;
  /** Attend over the feature map's cells at every step ("Show, Attend and Tell"); else every step sees the mean feature ("Show and Tell"). Default `true`. */
  attention?: boolean;
  /** Size of the attention's hidden layer. Default 128. */
  attentionDim?: number;
  /** Random source of the initial weights. */
  generator?: Generator;
}

/** What {@link CaptionDecoder.forward} and {@link CaptionDecoder.greedy} return. @category Models */
export interface CaptionOutput {
  /** `[B, T, V]` next-token logits (forward) or `[B, T]` int32 chosen tokens (greedy). */
  tokens: tf.Tensor;
  /** `[B, T, N]` attention weights over the N = h·w feature cells, or null without attention. */
  attention: tf.Tensor | null;
}

/** `tf.tidy` for an output whose `attention` may be null (tidy's types reject null; its runtime skips it). */
function tidyOutput(fn: () => CaptionOutput): CaptionOutput {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as CaptionOutput;
}

/**
 * An LSTM caption decoder over a CNN's feature map `[B, h, w, C]` (NHWC).
 * The mean feature initialises `(h0, c0)` through two linear layers (tanh).
 * Without attention, each step's input is the word embedding concatenated
 * with the mean feature, and the whole caption runs through one fused
 * {@link LSTM}; with attention, each step's {@link LSTMCell} input is the word
 * embedding concatenated with a {@link BahdanauAttention} context over the
 * h·w cells, and the weights are returned for plotting. Train with teacher forcing
 * ({@link CaptionDecoder.forward} on the caption shifted right) and decode
 * with {@link CaptionDecoder.greedy}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { CaptionDecoder } from '@fovea/rnn';
 * const dec = new CaptionDecoder({ featureDim: 32, vocabSize: 20, hiddenSize: 64 });
 * const feats = tf.randomNormal([2, 4, 4, 32]);             // [B, h, w, C]
 * const inp = tf.tensor2d([[1, 5, 6], [1, 7, 8]], [2, 3], 'int32');
 * const { tokens: logits, attention } = dec.forward(feats, inp);
 * logits.shape;    // [2, 3, 20]
 * attention!.shape; // [2, 3, 16]
 * const out = dec.greedy(feats, { bos: 1, maxLength: 6 }); // out.tokens [2, 6]
 * ```
 * @category Models
 */
export class CaptionDecoder extends Module<[tf.Tensor, tf.Tensor], CaptionOutput> {
  /** Vocabulary size V. */
  readonly vocabSize: number;
  /** `Embedding(V, E)`. */
  readonly embed: Embedding;
  /** `Linear(C, H)` for h0. */
  readonly initH: Linear;
  /** `Linear(C, H)` for c0. */
  readonly initC: Linear;
  /** The recurrent core: `LSTM(E + C, H)` without attention, `LSTMCell(E + C, H)` with it. */
  readonly rnn: LSTM | LSTMCell;
  /** The attention, or null. */
  readonly attention: BahdanauAttention | null;
  /** `Linear(H, V)`. */
  readonly head: Linear;
  private readonly H: number;

  constructor(opts: CaptionDecoderOptions) {
    super();
    const op = 'CaptionDecoder';
    const C = checkNumber(op, 'options.featureDim', opts.featureDim, { integer: true, min: 1 });
    this.vocabSize = checkNumber(op, 'options.vocabSize', opts.vocabSize, { integer: true, min: 2 });
    const E = opts.embeddingDim ?? 64;
    this.H = opts.hiddenSize ?? 256;
    const g = opts.generator ? { generator: opts.generator } : {};
    this.embed = this.registerModule('embed', new Embedding(this.vocabSize, E, g));
    this.initH = this.registerModule('initH', new Linear(C, this.H, g));
    this.initC = this.registerModule('initC', new Linear(C, this.H, g));
    const att = opts.attention ?? true;
    this.rnn = this.registerModule('rnn', att ? new LSTMCell(E + C, this.H, g) : new LSTM(E + C, this.H, g));
    this.attention = this.registerModule('attention', att ? new BahdanauAttention(this.H, C, opts.attentionDim ?? 128, g) : null);
    this.head = this.registerModule('head', new Linear(this.H, this.vocabSize, g));
  }

  private start(features: tf.Tensor, op: string): { feats: tf.Tensor; mean: tf.Tensor; h: tf.Tensor; c: tf.Tensor; keys: tf.Tensor | null } {
    checkTensor(op, 'features', features, { rank: 4, dtype: 'float32' });
    const [B, fh, fw, C] = features.shape as [number, number, number, number];
    const feats = tf.reshape(features, [B, fh * fw, C]); // [B, N, C]
    const mean = tf.mean(feats, 1); // [B, C]
    return { feats, mean, h: tf.tanh(this.initH.forward(mean)), c: tf.tanh(this.initC.forward(mean)), keys: this.attention ? this.attention.projectKeys(feats) : null };
  }

  /** One attention step: returns the new state, the logits `[B, V]` and the weights `[B, N]`. */
  private step(emb: tf.Tensor, s: { feats: tf.Tensor; mean: tf.Tensor; h: tf.Tensor; c: tf.Tensor; keys: tf.Tensor | null }) {
    const a = this.attention!.forward(s.h, s.keys!, s.feats);
    const r = (this.rnn as LSTMCell).forward(tf.concat([emb, a.context], 1), [s.h, s.c]);
    return { h: r.h, c: r.c, logits: this.head.forward(r.h), weights: a.weights };
  }

  /**
   * Teacher-forced decoding.
   *
   * @param features `[B, h, w, C]` encoder feature map (NHWC).
   * @param tokens int32 `[B, T]` the caption shifted right (starting with the start token).
   * @returns `tokens`: logits `[B, T, V]`; `attention` `[B, T, h·w]` or null.
   */
  forward(features: tf.Tensor, tokens: tf.Tensor): CaptionOutput {
    checkTensor('CaptionDecoder.forward', 'tokens', tokens, { rank: 2, dtype: 'int32' });
    return tidyOutput(() => {
      const s = this.start(features, 'CaptionDecoder.forward');
      const emb = this.embed.forward(tokens); // [B, T, E]
      const [B, T, E] = emb.shape as [number, number, number];
      if (!this.attention) {
        const C = s.mean.shape[1]!;
        const x = tf.concat([emb, tf.tile(tf.reshape(s.mean, [B, 1, C]), [1, T, 1])], 2); // [B, T, E + C]
        const r = (this.rnn as LSTM).forward(x, [tf.expandDims(s.h, 0), tf.expandDims(s.c, 0)]);
        return { tokens: this.head.forward(r.output), attention: null };
      }
      const logits: tf.Tensor[] = [], weights: tf.Tensor[] = [];
      let st = s;
      for (let t = 0; t < T; t++) {
        const r = this.step(tf.reshape(tf.slice(emb, [0, t, 0], [B, 1, E]), [B, E]), st);
        st = { ...st, h: r.h, c: r.c };
        logits.push(r.logits);
        weights.push(r.weights);
      }
      return { tokens: tf.stack(logits, 1), attention: tf.stack(weights, 1) };
    });
  }

  /**
   * Greedy decoding (argmax at each step, fed back), entirely on the device.
   *
   * @param features `[B, h, w, C]`.
   * @param opts `bos` the start token, `maxLength` steps to run.
   * @returns `tokens` int32 `[B, maxLength]` (cut at your end token) and the attention `[B, maxLength, N]` or null.
   */
  greedy(features: tf.Tensor, opts: { bos: number; maxLength: number }): CaptionOutput {
    const op = 'CaptionDecoder.greedy';
    const L = checkNumber(op, 'options.maxLength', opts.maxLength, { integer: true, min: 1 });
    const bos = checkNumber(op, 'options.bos', opts.bos, { integer: true, min: 0, max: this.vocabSize - 1 });
    return tidyOutput(() => {
      const s = this.start(features, op);
      const B = s.h.shape[0]!;
      let tok = tf.fill([B], bos, 'int32');
      let st = s;
      const toks: tf.Tensor[] = [], weights: tf.Tensor[] = [];
      for (let t = 0; t < L; t++) {
        const emb = this.embed.forward(tok); // [B, E]
        let logits: tf.Tensor;
        if (this.attention) {
          const r = this.step(emb, st);
          st = { ...st, h: r.h, c: r.c };
          logits = r.logits;
          weights.push(r.weights);
        } else {
          const r = (this.rnn as LSTM).forward(tf.expandDims(tf.concat([emb, st.mean], 1), 1), [tf.expandDims(st.h, 0), tf.expandDims(st.c, 0)]);
          st = { ...st, h: tf.squeeze(r.hN, [0]), c: tf.squeeze(r.cN, [0]) };
          logits = this.head.forward(st.h);
        }
        tok = tf.cast(tf.argMax(logits, 1), 'int32');
        toks.push(tok);
      }
      return { tokens: tf.stack(toks, 1), attention: this.attention ? tf.stack(weights, 1) : null };
    });
  }
}
