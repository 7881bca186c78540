import type * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '@fovea/core';
import type { RNNNonlinearity } from '../_internal/rnn-seq.js';
import { runStack } from '../_internal/stack.js';
import type { RNNOutput, RecurrentOptions, RecurrentParams } from './options.js';
import { RNNBase, type RecurrentModuleOptions } from './rnn-base.js';

export type { RNNNonlinearity } from '../_internal/rnn-seq.js';

/** Options of {@link rnn}: {@link RecurrentOptions} plus the nonlinearity. @category Recurrent */
export interface RNNOptions extends RecurrentOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: RNNNonlinearity;
}

/** Options of the {@link RNN} module. @category Recurrent */
export interface RNNModuleOptions extends RecurrentModuleOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: RNNNonlinearity;
}

/**
 * A multi-layer, optionally bidirectional Elman RNN over a whole sequence,
 * PyTorch's `nn.RNN` forward: `h' = act(W_ih x + b_ih + W_hh h + b_hh)` with
 * act tanh or relu. Each layer and direction runs as one fused op.
 *
 * @param x `[B, T, I]` (batch-first, the default), `[T, B, I]` with `batchFirst: false`, or `[T, I]` unbatched.
 * @param params weights by PyTorch name (see {@link RecurrentParams}), H rows each.
 * @param opts nonlinearity, layers, direction, layout, initial state `h0` `[L·dirs, B, H]`, dropout.
 * @returns `output` `[B, T, H·dirs]` and `hN` `[L·dirs, B, H]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { rnn } from '@fovea/rnn';
 * const params = { weight_ih_l0: tf.eye(2), weight_hh_l0: tf.zeros([2, 2]) };
 * const { output } = rnn(tf.tensor3d([[[1, -1], [2, 0]]]), params, { nonlinearity: 'relu' });
 * output.arraySync(); // [[[1, 0], [2, 0]]]
 * ```
 * @category Recurrent
 */
export function rnn(x: tf.Tensor, params: RecurrentParams, opts: RNNOptions = {}): RNNOutput {
  const nonlinearity = checkOneOf('rnn', 'options.nonlinearity', opts.nonlinearity ?? 'tanh', ['tanh', 'relu']);
  const r = runStack('rnn', 'rnn', x, params, opts.h0, null, { ...opts, nonlinearity });
  return { output: r.output, hN: r.hN };
}

/**
 * PyTorch's `nn.RNN`: `new RNN(inputSize, hiddenSize, { nonlinearity, … })`,
 * weights in PyTorch's layout and names. Batch-first by default. See {@link rnn}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RNN } from '@fovea/rnn';
 * const m = new RNN(4, 8, { nonlinearity: 'relu', numLayers: 2 });
 * m.forward(tf.ones([2, 3, 4])).output.shape; // [2, 3, 8]
 * ```
 * @category Recurrent
 */
export class RNN extends RNNBase<[tf.Tensor, tf.Tensor?], RNNOutput> {
  /** The nonlinearity. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNModuleOptions = {}) {
    super('RNN', 'rnn', inputSize, hiddenSize, opts);
    this.nonlinearity = checkOneOf('RNN', 'options.nonlinearity', opts.nonlinearity ?? 'tanh', ['tanh', 'relu']);
  }

  /**
   * Runs the stack over a sequence (see {@link rnn}).
   *
   * @param x `[B, T, I]` (or `[T, B, I]` when not batch-first, `[T, I]` unbatched).
   * @param h0 optional `[L·dirs, B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, h0?: tf.Tensor): RNNOutput {
    const r = this.run(x, h0, null, 'RNN.forward', this.nonlinearity);
    return { output: r.output, hN: r.hN };
  }
}
