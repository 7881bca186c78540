import type * as tf from '@tensorflow/tfjs-core';
import { runStack } from '../_internal/stack.js';
import type { LSTMOutput, RecurrentOptions, RecurrentParams } from './options.js';
import { RNNBase, type RecurrentModuleOptions } from './rnn-base.js';

/** Options of {@link lstm}: {@link RecurrentOptions} plus the initial cell state. @category Recurrent */
export interface LSTMOptions extends RecurrentOptions {
  /** `[L·dirs, B, H]` initial cell state, given together with `h0`; default zeros. */
  c0?: tf.Tensor | null;
}

/**
 * A multi-layer, optionally bidirectional LSTM over a whole sequence,
 * PyTorch's `nn.LSTM` forward (`_VF.lstm`) with gate order i, f, g, o:
 * `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`.
 *
 * Each layer and direction runs as one fused op: the input projection of all
 * steps is a single matmul, the four gate matmuls are one, and the backward
 * pass is a hand-written reverse recurrence (see the package README for the
 * speed against PyTorch).
 *
 * @param x `[B, T, I]` (batch-first, the default), `[T, B, I]` with `batchFirst: false`, or `[T, I]` unbatched.
 * @param params weights by PyTorch name (see {@link RecurrentParams}), 4H rows each.
 * @param opts layers, direction, layout, initial states `h0`/`c0` `[L·dirs, B, H]`, dropout.
 * @returns `output` `[B, T, H·dirs]`, `hN` and `cN` `[L·dirs, B, H]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { lstm } from '@fovea/rnn';
 * const H = 2, I = 3;
 * const params = {
 *   weight_ih_l0: tf.fill([4 * H, I], 0.1), weight_hh_l0: tf.fill([4 * H, H], 0.1),
 *   bias_ih_l0: tf.zeros([4 * H]), bias_hh_l0: tf.zeros([4 * H]),
 * };
 * const { output, hN, cN } = lstm(tf.ones([1, 5, I]), params);
 * output.shape; // [1, 5, 2]
 * hN.shape;     // [1, 1, 2]
 * ```
 * @category Recurrent
 */
export function lstm(x: tf.Tensor, params: RecurrentParams, opts: LSTMOptions = {}): LSTMOutput {
  const r = runStack('lstm', 'lstm', x, params, opts.h0, opts.c0, opts);
  return { output: r.output, hN: r.hN, cN: r.cN! };
}

/**
 * PyTorch's `nn.LSTM`: `new LSTM(inputSize, hiddenSize, opts)`, weights
 * `weight_ih_l0` `[4H, I]`, … in PyTorch's layout (a PyTorch `state_dict`
 * loads unchanged). Batch-first by default. See {@link lstm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LSTM } from '@fovea/rnn';
 * const m = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
 * const { output, hN, cN } = m.forward(tf.randomNormal([3, 5, 10]));
 * output.shape; // [3, 5, 40]
 * hN.shape;     // [4, 3, 20]
 * ```
 * @category Recurrent
 */
export class LSTM extends RNNBase<[tf.Tensor, [tf.Tensor, tf.Tensor]?], LSTMOutput> {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentModuleOptions = {}) {
    super('LSTM', 'lstm', inputSize, hiddenSize, opts);
  }

  /**
   * Runs the stack over a sequence (see {@link lstm}).
   *
   * @param x `[B, T, I]` (or `[T, B, I]` when not batch-first, `[T, I]` unbatched).
   * @param hx optional `[h0, c0]`, each `[L·dirs, B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, hx?: [tf.Tensor, tf.Tensor]): LSTMOutput {
    const r = this.run(x, hx?.[0], hx?.[1], 'LSTM.forward');
    return { output: r.output, hN: r.hN, cN: r.cN! };
  }
}
