import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { CellBase, batched, cellProjections, checkCell, unbatched, type CellModuleOptions, type CellWeights } from './_cell-common.js';

/**
 * One GRU step, PyTorch's `nn.GRUCell` (gate order r, z, n):
 * `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
 * `n = tanh(W_in x + b_in + r·(W_hn h + b_hn))`, `h' = (1 − z)·n + z·h`.
 *
 * @param x `[B, I]` (or `[I]` unbatched).
 * @param h `[B, H]`, or null for zeros.
 * @param weights `weightIh` `[3H, I]`, `weightHh` `[3H, H]`, optional biases `[3H]`.
 * @returns `[B, H]` the new hidden state.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gruCell } from '@fovea/rnn';
 * const w = { weightIh: tf.zeros([6, 3]), weightHh: tf.zeros([6, 2]) };
 * gruCell(tf.ones([1, 3]), tf.ones([1, 2]), w).arraySync(); // [[0.5, 0.5]]: z = 0.5, n = 0
 * ```
 * @category Cells
 */
export function gruCell(x: tf.Tensor, h: tf.Tensor | null, weights: CellWeights): tf.Tensor {
  const op = 'gruCell';
  const { H, squeeze } = checkCell(op, 3, x, weights, { h });
  return tf.tidy(() => {
    const xb = batched(x, squeeze);
    const hb = h ? batched(h, squeeze) : tf.zeros([xb.shape[0]!, H]);
    const [gi, gh] = cellProjections(xb, hb, weights);
    const [ir, iz, inn] = tf.split(gi, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [hr, hz, hn] = tf.split(gh, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const r = tf.sigmoid(tf.add(ir, hr));
    const z = tf.sigmoid(tf.add(iz, hz));
    const n = tf.tanh(tf.add(inn, tf.mul(r, hn)));
    return unbatched(tf.add(n, tf.mul(z, tf.sub(hb, n))), squeeze); // (1 − z)·n + z·h
  });
}

/**
 * PyTorch's `nn.GRUCell(inputSize, hiddenSize, bias)`: parameters
 * `weight_ih` `[3H, I]`, `weight_hh` `[3H, H]`, `bias_ih`, `bias_hh` `[3H]`.
 * See {@link gruCell}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GRUCell } from '@fovea/rnn';
 * const cell = new GRUCell(3, 5);
 * const h = cell.forward(tf.ones([2, 3]));
 * cell.forward(tf.ones([2, 3]), h).shape; // [2, 5]
 * ```
 * @category Cells
 */
export class GRUCell extends CellBase<[tf.Tensor, tf.Tensor?], tf.Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: CellModuleOptions = {}) {
    super(3, checkNumber('GRUCell', 'inputSize', inputSize, { integer: true, min: 1 }), checkNumber('GRUCell', 'hiddenSize', hiddenSize, { integer: true, min: 1 }), opts);
  }

  /**
   * One step (see {@link gruCell}).
   *
   * @param x `[B, I]`.
   * @param h optional `[B, H]`; zeros when absent.
   */
  forward(x: tf.Tensor, h?: tf.Tensor): tf.Tensor {
    return gruCell(x, h ?? null, this.weights());
  }
}
