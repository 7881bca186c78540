import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, type Generator } from '@fovea/core';
import { LSTMCell } from '@fovea/rnn';
import { checkSize, genOpt } from '../_internal/args.js';
import { MaskedConv2d, type MaskType } from './masked-conv2d.js';

/** Options for {@link RowLSTM}. @category Autoregressive */
export interface RowLSTMOptions {
  /** Width `k` of the masked input-to-state convolution along the row (odd); default 3. */
  kernelSize?: number;
  /** `'A'` for a layer that reads the image itself (hide the current pixel), `'B'` after; default `'B'`. */
  maskType?: MaskType;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * The Row LSTM layer of PixelRNN (van den Oord et al., 2016): an LSTM that
 * runs down the image one row at a time, all pixels of a row in parallel.
 * The input-to-state part is a `1 × k` {@link MaskedConv2d} along the row
 * (pixels left of `(i, j)`, and `(i, j)` itself for type B), computed for the
 * whole image at once; the state-to-state part reads the previous row's hidden
 * states at columns `j − 1, j, j + 1`. The gates are @fovea/rnn's
 * {@link LSTMCell} (PyTorch's `nn.LSTMCell`, gate order i, f, g, o) applied to
 * every pixel of the row as a batch: its input is `[features(i, j), h(i−1, j−1), h(i−1, j+1)]`
 * and its recurrent state `h(i−1, j), c(i−1, j)`. Its receptive field is the
 * triangle above the pixel (and the row to its left).
 *
 * Parameters: `input_conv` (the masked convolution, `H` features) and `cell`
 * (`weight_ih [4H, 3H]`, `weight_hh [4H, H]`, biases).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RowLSTM } from '@fovea/generative';
 * const layer = new RowLSTM(16, 32);
 * layer.forward(tf.zeros([2, 8, 8, 16])).shape; // [2, 8, 8, 32]
 * ```
 * @category Autoregressive
 */
export class RowLSTM extends Module<[tf.Tensor], tf.Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Hidden size `H`. */
  readonly hiddenSize: number;
  /** The `1 × k` masked input-to-state convolution to `H` features. */
  readonly inputConv: MaskedConv2d;
  /** The LSTM cell run on every pixel of a row. */
  readonly cell: LSTMCell;

  /**
   * @param inChannels input channels.
   * @param hiddenSize `H`.
   * @param opts kernelSize (default 3), maskType (default `'B'`), generator.
   */
  constructor(inChannels: number, hiddenSize: number, opts: RowLSTMOptions = {}) {
    super();
    const op = 'RowLSTM';
    this.inChannels = checkSize(op, 'inChannels', inChannels);
    this.hiddenSize = checkSize(op, 'hiddenSize', hiddenSize);
    const k = checkSize(op, 'options.kernelSize', opts.kernelSize ?? 3);
    const g = genOpt(opts.generator);
    this.inputConv = this.registerModule('input_conv', new MaskedConv2d(inChannels, hiddenSize, [1, k], { maskType: opts.maskType ?? 'B', ...g }));
    this.cell = this.registerModule('cell', new LSTMCell(3 * hiddenSize, hiddenSize, g));
  }

  /** `x [N, H, W, Cin]` → hidden states `[N, H, W, hiddenSize]`, row `i` depending on rows `≤ i` only. */
  forward(x: tf.Tensor): tf.Tensor {
    const op = 'RowLSTM.forward';
    checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
    const [n, rows, w, cin] = x.shape as [number, number, number, number];
    if (cin !== this.inChannels || x.size === 0) {
      throw new FoveaError({ op, arg: 'x', expected: `a non-empty [N, H, W, ${this.inChannels}]`, got: `shape ${formatShape(x.shape)}` });
    }
    const hs = this.hiddenSize;
    return tf.tidy(() => {
      const feats = this.inputConv.forward(x); // [N, H, W, hs]
      let h: tf.Tensor = tf.zeros([n * w, hs]); // [N·W, hs]: the previous row's states, one per pixel
      let c: tf.Tensor = tf.zeros([n * w, hs]);
      const out: tf.Tensor[] = [];
      for (let i = 0; i < rows; i++) {
        const f = tf.reshape(tf.slice(feats, [0, i, 0, 0], [n, 1, w, hs]), [n * w, hs]); // [N·W, hs]
        const prev = tf.reshape(h, [n, w, hs]);
        const left = tf.reshape(tf.slice(tf.pad(prev, [[0, 0], [1, 0], [0, 0]]), [0, 0, 0], [n, w, hs]), [n * w, hs]); // h(i−1, j−1)
        const right = tf.reshape(tf.slice(tf.pad(prev, [[0, 0], [0, 1], [0, 0]]), [0, 1, 0], [n, w, hs]), [n * w, hs]); // h(i−1, j+1)
        const s = this.cell.forward(tf.concat([f, left, right], 1), [h, c]); // [N·W, hs] each
        h = s.h;
        c = s.c;
        out.push(tf.reshape(h, [n, 1, w, hs]));
      }
      return tf.concat(out, 1); // [N, H, W, hs]
    });
  }
}
