import * as tf from '@tensorflow/tfjs-core';
import { Module, ModuleList, ReLU, Sequential, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';
import { checkDiscreteImage, checkEncoding, encodeDiscrete, encodedChannels, splitLogits, type InputEncoding } from '../_internal/discrete.js';
import { bitsPerDim } from './bits-per-dim.js';
import { MaskedConv2d } from './masked-conv2d.js';
import { RowLSTM } from './row-lstm.js';

/** Options for {@link PixelRNN}. @category Autoregressive */
export interface PixelRNNOptions {
  /** Image channels `C`; default 1. */
  channels?: number;
  /** Values per channel `K`; default 2. */
  levels?: number;
  /** Feature channels and LSTM hidden size `h`; default 32. */
  hiddenChannels?: number;
  /** Row LSTM layers (residual); default 2. */
  numLayers?: number;
  /** How the input is fed (see {@link PixelCNNOptions.inputEncoding}); default `'scaled'`. */
  inputEncoding?: InputEncoding;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * PixelRNN with Row LSTM layers (van den Oord et al., 2016): a 7×7 type-A
 * {@link MaskedConv2d}, residual {@link RowLSTM} layers, and a 1×1 head with
 * `K` logits per channel. Same interface as {@link PixelCNN}: exact
 * {@link PixelRNN.logProb} / {@link bitsPerDim}, and sampling or inpainting
 * with {@link sampleAutoregressive}. Slower than PixelCNN (the rows run in
 * sequence) but with a larger receptive field.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PixelRNN } from '@fovea/generative';
 * const model = new PixelRNN({ levels: 2, hiddenChannels: 16, numLayers: 1 });
 * model.forward(tf.zeros([2, 28, 28, 1])).shape; // [2, 28, 28, 1, 2]
 * ```
 * @category Autoregressive
 */
export class PixelRNN extends Module<[tf.Tensor], tf.Tensor> {
  /** Image channels `C`. */
  readonly channels: number;
  /** Values per channel `K`. */
  readonly levels: number;
  /** The input encoding. */
  readonly inputEncoding: InputEncoding;
  /** Row `i`'s logits depend on rows `≤ i` only. */
  readonly rowCausal = true;
  /** 7×7 type-A masked convolution to `h` channels. */
  readonly input: MaskedConv2d;
  /** The Row LSTM layers. */
  readonly layers: ModuleList;
  /** ReLU → 1×1 → ReLU → 1×1 to `C·K` logits. */
  readonly head: Sequential;

  constructor(opts: PixelRNNOptions = {}) {
    super();
    const op = 'PixelRNN';
    this.channels = checkSize(op, 'options.channels', opts.channels ?? 1);
    this.levels = checkSize(op, 'options.levels', opts.levels ?? 2, 2);
    const h = checkSize(op, 'options.hiddenChannels', opts.hiddenChannels ?? 32);
    const n = checkSize(op, 'options.numLayers', opts.numLayers ?? 2);
    this.inputEncoding = checkEncoding(op, opts.inputEncoding);
    const g = genOpt(opts.generator);
    this.input = this.registerModule('input', new MaskedConv2d(encodedChannels(this.channels, this.levels, this.inputEncoding), h, 7, { maskType: 'A', ...g }));
    this.layers = this.registerModule('layers', new ModuleList(Array.from({ length: n }, () => new RowLSTM(h, h, { maskType: 'B', ...g }))));
    this.head = this.registerModule('head', new Sequential(new ReLU(), new Conv2d(h, h, 1, g), new ReLU(), new Conv2d(h, this.channels * this.levels, 1, g)));
  }

  /** `x [N, H, W, C]` (integer values in `[0, K)`) → logits `[N, H, W, C, K]`. */
  forward(x: tf.Tensor): tf.Tensor {
    checkDiscreteImage('PixelRNN.forward', x, this.channels);
    return tf.tidy(() => {
      let f = this.input.forward(encodeDiscrete(x, this.levels, this.inputEncoding)); // [N, H, W, h]
      for (const layer of this.layers.children()) f = tf.add(f, (layer as RowLSTM).forward(f)); // residual
      return splitLogits(this.head.forward(f), this.channels, this.levels); // [N, H, W, C, K]
    });
  }

  /** Exact `log p(x)` per image, `[N]` nats. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.neg(bitsPerDim(this.forward(x), tf.cast(x, 'int32'), { reduction: 'none' }).nll));
  }
}
