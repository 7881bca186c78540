import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf } from '@fovea/core';
import type { RNNNonlinearity } from '../_internal/rnn-seq.js';
import { CellBase, batched, cellProjections, checkCell, unbatched, type CellModuleOptions, type CellWeights } from './_cell-common.js';

/** Options of the {@link RNNCell} module. @category Cells */
export interface RNNCellOptions extends CellModuleOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: RNNNonlinearity;
}

/**
 * One Elman RNN step, PyTorch's `nn.RNNCell`: `h' = act(W_ih x + b_ih + W_hh h + b_hh)`.
 *
 * @param x `[B, I]` (or `[I]` unbatched).
 * @param h `[B, H]`, or null for zeros.
 * @param weights `weightIh` `[H, I]`, `weightHh` `[H, H]`, optional biases `[H]`.
 * @param nonlinearity `'tanh'` (default) or `'relu'`.
 * @returns `[B, H]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { rnnCell } from '@fovea/rnn';
 * const w = { weightIh: tf.eye(2), weightHh: tf.eye(2) };
 * rnnCell(tf.tensor2d([[1, -2]]), tf.tensor2d([[1, 1]]), w, 'relu').arraySync(); // [[2, 0]]
 * ```
 * @category Cells
 */
export function rnnCell(x: tf.Tensor, h: tf.Tensor | null, weights: CellWeights, nonlinearity: RNNNonlinearity = 'tanh'): tf.Tensor {
  const op = 'rnnCell';
  const act = checkOneOf(op, 'nonlinearity', nonlinearity, ['tanh', 'relu']);
  const { H, squeeze } = checkCell(op, 1, x, weights, { h });
  return tf.tidy(() => {
    const xb = batched(x, squeeze);
    const hb = h ? batched(h, squeeze) : tf.zeros([xb.shape[0]!, H]);
    const [gi, gh] = cellProjections(xb, hb, weights);
    const a = tf.add(gi, gh);
    return unbatched(act === 'relu' ? tf.relu(a) : tf.tanh(a), squeeze);
  });
}

/**
 * PyTorch's `nn.RNNCell(inputSize, hiddenSize, bias, nonlinearity)`:
 * parameters `weight_ih` `[H, I]`, `weight_hh` `[H, H]`, `bias_ih`, `bias_hh` `[H]`.
 * See {@link rnnCell}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RNNCell } from '@fovea/rnn';
 * const cell = new RNNCell(3, 4, { nonlinearity: 'relu' });
 * cell.forward(tf.ones([2, 3])).shape; // [2, 4]
 * ```
 * @category Cells
 */
export class RNNCell extends CellBase<[tf.Tensor, tf.Tensor?], tf.Tensor> {
  /** The nonlinearity. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super(1, checkNumber('RNNCell', 'inputSize', inputSize, { integer: true, min: 1 }), checkNumber('RNNCell', 'hiddenSize', hiddenSize, { integer: true, min: 1 }), opts);
    this.nonlinearity = checkOneOf('RNNCell', 'options.nonlinearity', opts.nonlinearity ?? 'tanh', ['tanh', 'relu']);
  }

  /**
   * One step (see {@link rnnCell}).
   *
   * @param x `[B, I]`.
   * @param h optional `[B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, h?: tf.Tensor): tf.Tensor {
    return rnnCell(x, h ?? null, this.weights(), this.nonlinearity);
  }
}
