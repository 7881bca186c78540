import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkTensor, crossEntropy, type Generator } from '@fovea/core';
import { Embedding, Linear } from '@fovea/layers';
import { LSTM } from '../recurrent/lstm.js';
import { sampleLogits } from '../sampling/sample-logits.js';

/** Options of {@link CharLM}. @category Models */
export interface CharLMOptions {
  /** Size of the character embedding. Default 64. */
  embeddingDim?: number;
  /** LSTM hidden size. Default 256. */
  hiddenSize?: number;
  /** Stacked LSTM layers. Default 2. */
  numLayers?: number;
  /** Dropout between LSTM layers in training mode. Default 0. */
  dropout?: number;
  /** Random source for the initial weights and dropout. */
  generator?: Generator;
}

/** What {@link CharLM.forward} returns. @category Models */
export interface CharLMOutput {
  /** `[B, T, V]` next-character logits. */
  logits: tf.Tensor;
  /** `[h_n, c_n]`, each `[L, B, H]`: the state after the last step, to carry into the next chunk. */
  state: [tf.Tensor, tf.Tensor];
}

/** What {@link CharLM.loss} returns. @category Models */
export interface CharLMLoss {
  /** `[]` mean next-character cross-entropy, nats. */
  loss: tf.Scalar;
  /** `[h_n, c_n]` the state after the last step. */
  state: [tf.Tensor, tf.Tensor];
}

/** Options of {@link CharLM.sample}. @category Models */
export interface CharLMSampleOptions {
  /** Softmax temperature (0: greedy). Default 1. */
  temperature?: number;
  /** Restrict sampling to the k most likely characters (0: all). Default 0. */
  topK?: number;
  /** Random source of the samples. */
  generator?: Generator;
}

/**
 * A character-level language model (Karpathy's char-rnn): `Embedding(V, E)`
 * → multi-layer `LSTM(E, H)` → `Linear(H, V)`, trained with next-character
 * cross-entropy (see {@link CharLM.loss}; divide by ln 2 for bits per
 * character) and sampled one character at a time with a temperature.
 * Parameters are named `embed.weight`, `lstm.weight_ih_l0`, …, `head.weight`
 * as the same PyTorch model would name them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { CharLM } from '@fovea/rnn';
 * const lm = new CharLM(40, { hiddenSize: 64, numLayers: 1 });
 * const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
 * const { loss } = lm.loss(tf.slice(ids, [0, 0], [1, 3]), tf.slice(ids, [0, 1], [1, 3]));
 * loss.dataSync()[0]; // ≈ ln 40 = 3.69 nats before training
 * const text = await lm.sample([1, 2], 20, { temperature: 0.8 }); // 20 new ids
 * ```
 * @category Models
 */
export class CharLM extends Module<[tf.Tensor, [tf.Tensor, tf.Tensor]?], CharLMOutput> {
  /** Vocabulary size V. */
  readonly vocabSize: number;
  /** `Embedding(V, E)`. */
  readonly embed: Embedding;
  /** `LSTM(E, H, numLayers)`, batch-first. */
  readonly lstm: LSTM;
  /** `Linear(H, V)`. */
  readonly head: Linear;

  constructor(vocabSize: number, opts: CharLMOptions = {}) {
    super();
    this.vocabSize = checkNumber('CharLM', 'vocabSize', vocabSize, { integer: true, min: 2 });
    const E = opts.embeddingDim ?? 64, H = opts.hiddenSize ?? 256;
    const g = opts.generator ? { generator: opts.generator } : {};
    this.embed = this.registerModule('embed', new Embedding(vocabSize, E, g));
    this.lstm = this.registerModule('lstm', new LSTM(E, H, { numLayers: opts.numLayers ?? 2, dropout: opts.dropout ?? 0, ...g }));
    this.head = this.registerModule('head', new Linear(H, vocabSize, g));
  }

  /**
   * @param ids int32 `[B, T]` character ids.
   * @param state optional `[h0, c0]`, each `[L, B, H]` (e.g. the previous chunk's, detached).
   * @returns logits `[B, T, V]` and the final state.
   */
  forward(ids: tf.Tensor, state?: [tf.Tensor, tf.Tensor]): CharLMOutput {
    checkTensor('CharLM.forward', 'ids', ids, { rank: 2, dtype: 'int32' });
    return tf.tidy(() => {
      const r = this.lstm.forward(this.embed.forward(ids), state); // [B, T, H]
      return { logits: this.head.forward(r.output), state: [r.hN, r.cN] as [tf.Tensor, tf.Tensor] };
    });
  }

  /**
   * Mean next-character cross-entropy in nats of predicting `targets` from `ids`.
   *
   * @param ids int32 `[B, T]` inputs; @param targets int32 `[B, T]` the next characters.
   * @param state optional initial state.
   * @returns the scalar loss and the final state.
   */
  loss(ids: tf.Tensor, targets: tf.Tensor, state?: [tf.Tensor, tf.Tensor]): CharLMLoss {
    checkTensor('CharLM.loss', 'targets', targets, { shape: ids.shape, dtype: 'int32' });
    const [loss, h, c] = tf.tidy(() => {
      const { logits, state: s } = this.forward(ids, state);
      return [crossEntropy(tf.reshape(logits, [-1, this.vocabSize]), tf.reshape(targets, [-1])), s[0], s[1]];
    });
    return { loss: loss as tf.Scalar, state: [h!, c!] };
  }

  /**
   * Generates `length` characters after `prompt` (ids), one at a time,
   * feeding each sample back in. Runs in eval mode and restores the mode.
   *
   * @param prompt at least one id to condition on.
   * @param length how many ids to generate.
   * @param opts temperature, topK, generator.
   * @returns the generated ids (without the prompt).
   */
  async sample(prompt: number[], length: number, opts: CharLMSampleOptions = {}): Promise<number[]> {
    checkNumber('CharLM.sample', 'length', length, { integer: true, min: 0 });
    checkNumber('CharLM.sample', 'prompt.length', prompt.length, { integer: true, min: 1 });
    const wasTraining = this.training;
    this.eval();
    const out: number[] = [];
    let state: [tf.Tensor, tf.Tensor] | undefined;
    let input = tf.tensor2d([prompt], [1, prompt.length], 'int32');
    try {
      for (let i = 0; i < length; i++) {
        const r = this.forward(input, state);
        const last = tf.tidy(() => tf.reshape(tf.slice(r.logits, [0, r.logits.shape[1]! - 1, 0], [1, 1, this.vocabSize]), [1, this.vocabSize]));
        const [id] = await sampleLogits(last, opts);
        tf.dispose([last, r.logits, input, ...(state ?? [])]);
        state = r.state;
        out.push(id!);
        input = tf.tensor2d([[id!]], [1, 1], 'int32');
      }
    } finally {
      tf.dispose([input, ...(state ?? [])]);
      this.train(wasTraining);
    }
    return out;
  }
}
