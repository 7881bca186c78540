import * as tf from '@tensorflow/tfjs-core';
import { Module, checkTensor, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';

/** What one {@link BahdanauAttention} step returns. @category Models */
export interface AttentionStep {
  /** `[B, Dv]` the attention-weighted sum of the values. */
  context: tf.Tensor;
  /** `[B, N]` the attention weights (each row sums to 1). */
  weights: tf.Tensor;
}

/**
 * Additive (Bahdanau) attention of a recurrent decoder over N encoder
 * vectors: `e_j = vᵀ tanh(W_q q + W_k k_j)`, `a = softmax(e)` (masked
 * positions get weight 0), `context = Σ_j a_j v_j` (Bahdanau et al., 2015;
 * "Show, Attend and Tell" over image feature cells). Project the keys once
 * per sequence with {@link BahdanauAttention.projectKeys}, then call
 * {@link BahdanauAttention.forward} at every decoder step. Parameters:
 * `query.weight`, `key.weight`, `key.bias`, `score.weight`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BahdanauAttention } from '@fovea/rnn';
 * const att = new BahdanauAttention(32, 16, 24); // query D, key D, attention size
 * const enc = tf.randomNormal([2, 10, 16]);      // [B, N, D]
 * const keys = att.projectKeys(enc);            // [B, N, 24], once
 * const { context, weights } = att.forward(tf.randomNormal([2, 32]), keys, enc);
 * context.shape; // [2, 16]
 * weights.shape; // [2, 10]
 * ```
 * @category Models
 */
export class BahdanauAttention extends Module<[tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?], AttentionStep> {
  /** `W_q`: `Linear(queryDim, attentionDim, bias false)`. */
  readonly query: Linear;
  /** `W_k`: `Linear(keyDim, attentionDim)`. */
  readonly key: Linear;
  /** `v`: `Linear(attentionDim, 1, bias false)`. */
  readonly score: Linear;

  constructor(queryDim: number, keyDim: number, attentionDim: number, opts: { generator?: Generator } = {}) {
    super();
    const g = opts.generator ? { generator: opts.generator } : {};
    this.query = this.registerModule('query', new Linear(queryDim, attentionDim, { bias: false, ...g }));
    this.key = this.registerModule('key', new Linear(keyDim, attentionDim, g));
    this.score = this.registerModule('score', new Linear(attentionDim, 1, { bias: false, ...g }));
  }

  /** `[B, N, keyDim]` → `[B, N, attentionDim]`: `W_k k_j + b`, computed once per sequence. */
  projectKeys(keys: tf.Tensor): tf.Tensor {
    checkTensor('BahdanauAttention.projectKeys', 'keys', keys, { rank: 3, dtype: 'float32' });
    return this.key.forward(keys);
  }

  /**
   * One decoder step.
   *
   * @param q `[B, queryDim]` the decoder state.
   * @param projectedKeys `[B, N, attentionDim]` from {@link BahdanauAttention.projectKeys}.
   * @param values `[B, N, Dv]` what is averaged (usually the unprojected keys).
   * @param mask optional `[B, N]` (1 = attend, 0 = padding).
   * @returns the context `[B, Dv]` and weights `[B, N]`.
   */
  forward(q: tf.Tensor, projectedKeys: tf.Tensor, values: tf.Tensor, mask?: tf.Tensor): AttentionStep {
    const op = 'BahdanauAttention.forward';
    const dims = {};
    checkTensor(op, 'projectedKeys', projectedKeys, { shape: ['B', 'N', null], dtype: 'float32' }, dims);
    checkTensor(op, 'q', q, { shape: ['B', null], dtype: 'float32' }, dims);
    checkTensor(op, 'values', values, { shape: ['B', 'N', null], dtype: 'float32' }, dims);
    if (mask) checkTensor(op, 'mask', mask, { shape: ['B', 'N'] }, dims);
    return tf.tidy(() => {
      const [B, N] = projectedKeys.shape as [number, number, number];
      const e = tf.reshape(this.score.forward(tf.tanh(tf.add(projectedKeys, tf.expandDims(this.query.forward(q), 1)))), [B, N]); // [B, N]
      const masked = mask ? tf.add(e, tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9)) : e;
      const weights = tf.softmax(masked, -1); // [B, N]
      const context = tf.reshape(tf.matMul(tf.expandDims(weights, 1), values), [B, values.shape[2]!]); // [B, Dv]
      return { context, weights };
    });
  }
}
