import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkTensor, type Generator } from '@fovea/core';
import { Embedding, Linear } from '@fovea/layers';
import { GRUCell } from '../cells/gru-cell.js';
import { GRU } from '../recurrent/gru.js';
import { BahdanauAttention } from './bahdanau-attention.js';

/** Options of {@link Seq2Seq}. @category Models */
export interface Seq2SeqOptions {
  /** Source vocabulary size (id 0 is padding). */
  srcVocab: number;
  /** Target vocabulary size. */
  tgtVocab: number;
  /** Embedding size of both sides. Default 64. */
  embeddingDim?: number;
  /** Hidden size H of the encoder (per direction) and decoder. Default 128. */
  hiddenSize?: number;
  /** Size of the attention's hidden layer. Default 128. */
  attentionDim?: number;
  /** Random source of the initial weights. */
  generator?: Generator;
}

/** What {@link Seq2Seq.forward} and {@link Seq2Seq.greedy} return. @category Models */
export interface Seq2SeqOutput {
  /** `[B, T, V_tgt]` logits (forward) or `[B, T]` int32 tokens (greedy). */
  tokens: tf.Tensor;
  /** `[B, T, S]` attention weights of each output step over the source positions. */
  attention: tf.Tensor;
}

/**
 * An attentional encoder–decoder (Bahdanau et al., 2015): a bidirectional
 * {@link GRU} encodes the source ids `[B, S]` (id 0 = padding, masked out of
 * the attention); its final states initialise a {@link GRUCell} decoder whose
 * input at each step is the previous token's embedding and a
 * {@link BahdanauAttention} context over the encoder outputs; the output
 * layer sees the decoder state and the context. Train with teacher forcing
 * ({@link Seq2Seq.forward}), decode with {@link Seq2Seq.greedy}; both return
 * the attention weights.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Seq2Seq } from '@fovea/rnn';
 * const m = new Seq2Seq({ srcVocab: 30, tgtVocab: 12, hiddenSize: 32 });
 * const src = tf.tensor2d([[5, 6, 7, 0]], [1, 4], 'int32'); // padded with 0
 * const tgtIn = tf.tensor2d([[1, 3, 4]], [1, 3], 'int32');  // starts with BOS = 1
 * m.forward(src, tgtIn).tokens.shape;       // [1, 3, 12]
 * m.greedy(src, { bos: 1, maxLength: 5 }).attention.shape; // [1, 5, 4]
 * ```
 * @category Models
 */
export class Seq2Seq extends Module<[tf.Tensor, tf.Tensor], Seq2SeqOutput> {
  /** Target vocabulary size. */
  readonly tgtVocab: number;
  /** `Embedding(V_src, E, paddingIdx 0)`. */
  readonly srcEmbed: Embedding;
  /** Bidirectional `GRU(E, H)`. */
  readonly encoder: GRU;
  /** `Linear(2H, H)`: the encoder's final states → the decoder's initial state (tanh). */
  readonly bridge: Linear;
  /** `Embedding(V_tgt, E)`. */
  readonly tgtEmbed: Embedding;
  /** Attention of the decoder state over the encoder outputs. */
  readonly attention: BahdanauAttention;
  /** `GRUCell(E + 2H, H)`. */
  readonly decoder: GRUCell;
  /** `Linear(3H, V_tgt)` on `[h, context]`. */
  readonly head: Linear;

  constructor(opts: Seq2SeqOptions) {
    super();
    const op = 'Seq2Seq';
    const Vs = checkNumber(op, 'options.srcVocab', opts.srcVocab, { integer: true, min: 2 });
    this.tgtVocab = checkNumber(op, 'options.tgtVocab', opts.tgtVocab, { integer: true, min: 2 });
    const E = opts.embeddingDim ?? 64, H = opts.hiddenSize ?? 128;
    const g = opts.generator ? { generator: opts.generator } : {};
    this.srcEmbed = this.registerModule('srcEmbed', new Embedding(Vs, E, { paddingIdx: 0, ...g }));
    this.encoder = this.registerModule('encoder', new GRU(E, H, { bidirectional: true, ...g }));
    this.bridge = this.registerModule('bridge', new Linear(2 * H, H, g));
    this.tgtEmbed = this.registerModule('tgtEmbed', new Embedding(this.tgtVocab, E, g));
    this.attention = this.registerModule('attention', new BahdanauAttention(H, 2 * H, opts.attentionDim ?? 128, g));
    this.decoder = this.registerModule('decoder', new GRUCell(E + 2 * H, H, g));
    this.head = this.registerModule('head', new Linear(3 * H, this.tgtVocab, g));
  }

  private encode(src: tf.Tensor, op: string) {
    checkTensor(op, 'src', src, { rank: 2, dtype: 'int32' });
    const r = this.encoder.forward(this.srcEmbed.forward(src)); // output [B, S, 2H], hN [2, B, H]
    const [, B, H] = r.hN.shape as [number, number, number];
    const last = tf.reshape(tf.transpose(r.hN, [1, 0, 2]), [B, 2 * H]); // [B, 2H] forward ‖ reverse
    return { enc: r.output, keys: this.attention.projectKeys(r.output), mask: tf.notEqual(src, 0), h: tf.tanh(this.bridge.forward(last)) };
  }

  private step(emb: tf.Tensor, h: tf.Tensor, e: { enc: tf.Tensor; keys: tf.Tensor; mask: tf.Tensor }) {
    const a = this.attention.forward(h, e.keys, e.enc, e.mask); // context [B, 2H]
    const h2 = this.decoder.forward(tf.concat([emb, a.context], 1), h);
    return { h: h2, logits: this.head.forward(tf.concat([h2, a.context], 1)), weights: a.weights };
  }

  /**
   * Teacher-forced decoding.
   *
   * @param src int32 `[B, S]` source ids (0 = padding).
   * @param tgtIn int32 `[B, T]` target ids shifted right (starting with the start token).
   * @returns logits `[B, T, V_tgt]` and attention `[B, T, S]`.
   */
  forward(src: tf.Tensor, tgtIn: tf.Tensor): Seq2SeqOutput {
    checkTensor('Seq2Seq.forward', 'tgtIn', tgtIn, { shape: [src.shape[0] ?? null, null], dtype: 'int32' });
    return tf.tidy(() => {
      const e = this.encode(src, 'Seq2Seq.forward');
      const emb = this.tgtEmbed.forward(tgtIn); // [B, T, E]
      const [B, T, E] = emb.shape as [number, number, number];
      let h = e.h;
      const logits: tf.Tensor[] = [], weights: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const r = this.step(tf.reshape(tf.slice(emb, [0, t, 0], [B, 1, E]), [B, E]), h, e);
        h = r.h;
        logits.push(r.logits);
        weights.push(r.weights);
      }
      return { tokens: tf.stack(logits, 1), attention: tf.stack(weights, 1) };
    });
  }

  /**
   * Greedy decoding on the device.
   *
   * @param src int32 `[B, S]`.
   * @param opts `bos` start token, `maxLength` steps.
   * @returns tokens int32 `[B, maxLength]` and attention `[B, maxLength, S]`.
   */
  greedy(src: tf.Tensor, opts: { bos: number; maxLength: number }): Seq2SeqOutput {
    const op = 'Seq2Seq.greedy';
    const L = checkNumber(op, 'options.maxLength', opts.maxLength, { integer: true, min: 1 });
    const bos = checkNumber(op, 'options.bos', opts.bos, { integer: true, min: 0, max: this.tgtVocab - 1 });
    return tf.tidy(() => {
      const e = this.encode(src, op);
      let h = e.h;
      let tok = tf.fill([src.shape[0]!], bos, 'int32');
      const toks: tf.Tensor[] = [], weights: tf.Tensor[] = [];
      for (let t = 0; t < L; t++) {
        const r = this.step(this.tgtEmbed.forward(tok), h, e);
        h = r.h;
        tok = tf.cast(tf.argMax(r.logits, 1), 'int32');
        toks.push(tok);
        weights.push(r.weights);
      }
      return { tokens: tf.stack(toks, 1), attention: tf.stack(weights, 1) };
    });
  }
}
