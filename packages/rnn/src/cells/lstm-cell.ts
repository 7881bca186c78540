import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { CellBase, batched, cellProjections, checkCell, unbatched, type CellModuleOptions, type CellWeights } from './_cell-common.js';

/** What {@link lstmCell} and {@link LSTMCell} return. @category Cells */
export interface LSTMCellState {
  /** `[B, H]` the new hidden state. */
  h: tf.Tensor;
  /** `[B, H]` the new cell state. */
  c: tf.Tensor;
}

/**
 * One LSTM step, PyTorch's `nn.LSTMCell` (gate order i, f, g, o):
 * `[i, f, g, o] = W_ih x + b_ih + W_hh h + b_hh`, `c' = σ(f)·c + σ(i)·tanh(g)`,
 * `h' = σ(o)·tanh(c')`. Differentiable with tfjs autograd.
 *
 * @param x `[B, I]` (or `[I]` unbatched).
 * @param state `[h, c]`, each `[B, H]`, or null for zeros.
 * @param weights `weightIh` `[4H, I]`, `weightHh` `[4H, H]`, optional biases `[4H]` (PyTorch layout).
 * @returns `h` and `c`, each `[B, H]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { lstmCell } from '@fovea/rnn';
 * const w = { weightIh: tf.zeros([8, 3]), weightHh: tf.zeros([8, 2]) };
 * const { h, c } = lstmCell(tf.ones([1, 3]), [tf.zeros([1, 2]), tf.ones([1, 2])], w);
 * c.arraySync(); // [[0.5, 0.5]]: σ(0)·1 + σ(0)·tanh(0)
 * ```
 * @category Cells
 */
export function lstmCell(x: tf.Tensor, state: [tf.Tensor, tf.Tensor] | null, weights: CellWeights): LSTMCellState {
  const op = 'lstmCell';
  const { H, squeeze } = checkCell(op, 4, x, weights, { 'state[0]': state?.[0], 'state[1]': state?.[1] });
  return tf.tidy(() => {
    const xb = batched(x, squeeze);
    const B = xb.shape[0]!;
    const h = state ? batched(state[0], squeeze) : tf.zeros([B, H]);
    const c = state ? batched(state[1], squeeze) : tf.zeros([B, H]);
    const [gi, gh] = cellProjections(xb, h, weights);
    const [i, f, g, o] = tf.split(tf.add(gi, gh), 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // 4 × [B, H]
    const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    const h2 = tf.mul(tf.sigmoid(o), tf.tanh(c2));
    return { h: unbatched(h2, squeeze), c: unbatched(c2, squeeze) };
  });
}

/**
 * PyTorch's `nn.LSTMCell(inputSize, hiddenSize, bias)`: parameters
 * `weight_ih` `[4H, I]`, `weight_hh` `[4H, H]`, `bias_ih`, `bias_hh` `[4H]`.
 * See {@link lstmCell}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LSTMCell } from '@fovea/rnn';
 * const cell = new LSTMCell(3, 5);
 * let s = cell.forward(tf.ones([2, 3]));         // zeros as the initial state
 * s = cell.forward(tf.ones([2, 3]), [s.h, s.c]); // the next step
 * s.h.shape; // [2, 5]
 * ```
 * @category Cells
 */
export class LSTMCell extends CellBase<[tf.Tensor, [tf.Tensor, tf.Tensor]?], LSTMCellState> {
  constructor(inputSize: number, hiddenSize: number, opts: CellModuleOptions = {}) {
    super(4, checkNumber('LSTMCell', 'inputSize', inputSize, { integer: true, min: 1 }), checkNumber('LSTMCell', 'hiddenSize', hiddenSize, { integer: true, min: 1 }), opts);
  }

  /**
   * One step (see {@link lstmCell}).
   *
   * @param x `[B, I]`.
   * @param state optional `[h, c]`, each `[B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, state?: [tf.Tensor, tf.Tensor]): LSTMCellState {
    return lstmCell(x, state ?? null, this.weights());
  }
}
