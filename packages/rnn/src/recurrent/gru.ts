import type * as tf from '@tensorflow/tfjs-core';
import { runStack } from '../_internal/stack.js';
import type { RNNOutput, RecurrentOptions, RecurrentParams } from './options.js';
import { RNNBase, type RecurrentModuleOptions } from './rnn-base.js';

/**
 * A multi-layer, optionally bidirectional GRU over a whole sequence,
 * PyTorch's `nn.GRU` forward with gate order r, z, n:
 * `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(…)`,
 * `n = tanh(W_in x + b_in + r·(W_hn h + b_hn))`, `h' = (1 − z)·n + z·h`.
 * Each layer and direction runs as one fused op with a hand-written backward.
 *
 * @param x `[B, T, I]` (batch-first, the default), `[T, B, I]` with `batchFirst: false`, or `[T, I]` unbatched.
 * @param params weights by PyTorch name (see {@link RecurrentParams}), 3H rows each.
 * @param opts layers, direction, layout, initial state `h0` `[L·dirs, B, H]`, dropout.
 * @returns `output` `[B, T, H·dirs]` and `hN` `[L·dirs, B, H]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gru } from '@fovea/rnn';
 * const H = 2, I = 3;
 * const params = { weight_ih_l0: tf.fill([3 * H, I], 0.1), weight_hh_l0: tf.fill([3 * H, H], 0.1) };
 * const { output, hN } = gru(tf.ones([4, 6, I]), params); // no biases
 * output.shape; // [4, 6, 2]
 * hN.shape;     // [1, 4, 2]
 * ```
 * @category Recurrent
 */
export function gru(x: tf.Tensor, params: RecurrentParams, opts: RecurrentOptions = {}): RNNOutput {
  const r = runStack('gru', 'gru', x, params, opts.h0, null, opts);
  return { output: r.output, hN: r.hN };
}

/**
 * PyTorch's `nn.GRU`: `new GRU(inputSize, hiddenSize, opts)`, weights in
 * PyTorch's layout and names (a PyTorch `state_dict` loads unchanged).
 * Batch-first by default. See {@link gru}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GRU } from '@fovea/rnn';
 * const m = new GRU(10, 20);
 * const { output, hN } = m.forward(tf.randomNormal([3, 5, 10]));
 * output.shape; // [3, 5, 20]
 * ```
 * @category Recurrent
 */
export class GRU extends RNNBase<[tf.Tensor, tf.Tensor?], RNNOutput> {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentModuleOptions = {}) {
    super('GRU', 'gru', inputSize, hiddenSize, opts);
  }

  /**
   * Runs the stack over a sequence (see {@link gru}).
   *
   * @param x `[B, T, I]` (or `[T, B, I]` when not batch-first, `[T, I]` unbatched).
   * @param h0 optional `[L·dirs, B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, h0?: tf.Tensor): RNNOutput {
    const r = this.run(x, h0, null, 'GRU.forward');
    return { output: r.output, hN: r.hN };
  }
}
