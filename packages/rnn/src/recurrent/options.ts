import type * as tf from '@tensorflow/tfjs-core';
import type { Generator } from '@fovea/core';

/**
 * Options of the functional recurrent layers {@link rnn}, {@link lstm} and
 * {@link gru}. The hidden size H and whether there are biases come from the
 * weights.
 *
 * @category Recurrent
 */
export interface RecurrentOptions {
  /** Stacked layers L; `params` must hold every layer's weights. Default 1. */
  numLayers?: number;
  /** Whether each layer also runs t = T−1 → 0 with `*_reverse` weights. Default `false`. */
  bidirectional?: boolean;
  /** `x` and `output` are `[B, T, ·]` (default `true`) or `[T, B, ·]`. */
  batchFirst?: boolean;
  /** `[L·dirs, B, H]` initial hidden state (`[L·dirs, H]` for unbatched `x`); default zeros. */
  h0?: tf.Tensor | null;
  /** Dropout on each layer's output except the last, applied only when `training`. Default 0. */
  dropout?: number;
  /** Whether dropout is active. Default `false`. */
  training?: boolean;
  /** Random source of the dropout masks (default: core's default generator). */
  generator?: Generator;
}

/**
 * Recurrent weights by PyTorch `state_dict` name: for each layer l and
 * direction suffix `""` / `"_reverse"`, `weight_ih_l{l}{sfx}` `[G·H, I or H·dirs]`,
 * `weight_hh_l{l}{sfx}` `[G·H, H]` and, with biases, `bias_ih_l{l}{sfx}`,
 * `bias_hh_l{l}{sfx}` `[G·H]`; G is 1 (RNN), 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n).
 *
 * @category Recurrent
 */
export type RecurrentParams = Record<string, tf.Tensor>;

/** What {@link rnn} and {@link gru} (and their Modules) return. @category Recurrent */
export interface RNNOutput {
  /** `[B, T, H·dirs]` (batch-first) the last layer's hidden state at every step; `[T, H·dirs]` unbatched. */
  output: tf.Tensor;
  /** `[L·dirs, B, H]` every layer and direction's final hidden state (`h_n`). */
  hN: tf.Tensor;
}

/** What {@link lstm} and {@link LSTM} return. @category Recurrent */
export interface LSTMOutput extends RNNOutput {
  /** `[L·dirs, B, H]` every layer and direction's final cell state (`c_n`). */
  cN: tf.Tensor;
}
