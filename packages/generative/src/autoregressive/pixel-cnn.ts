import * as tf from '@tensorflow/tfjs-core';
import { Module, ModuleList, ReLU, Sequential, relu, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkBool, checkSize, genOpt } from '../_internal/args.js';
import { checkDiscreteImage, checkEncoding, encodeDiscrete, encodedChannels, splitLogits, type InputEncoding } from '../_internal/discrete.js';
import { bitsPerDim } from './bits-per-dim.js';
import { GatedMaskedConv2d } from './gated-masked-conv2d.js';
import { MaskedConv2d } from './masked-conv2d.js';

/** Options for {@link PixelCNN}. @category Autoregressive */
export interface PixelCNNOptions {
  /** Image channels `C`; default 1. Channels of one pixel are predicted independently given the earlier pixels. */
  channels?: number;
  /** Values per channel `K` (2 for binarized images, 256 for bytes, the codebook size for VQ-VAE codes); default 2. */
  levels?: number;
  /** Feature channels `h`; default 64. */
  hiddenChannels?: number;
  /** Residual blocks (masked) or gated layers after the first; default 5. */
  numLayers?: number;
  /** Kernel of the first (type A) layer; default 7. */
  kernelSize?: number;
  /** Use the gated PixelCNN's vertical/horizontal stacks ({@link GatedMaskedConv2d}) instead of masked convolutions; default `false`. */
  gated?: boolean;
  /** How the input is fed: `'scaled'` (`x / (K − 1)`) or `'onehot'` (better for unordered codes); default `'scaled'`. */
  inputEncoding?: InputEncoding;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * PixelCNN (van den Oord et al., 2016): an autoregressive model of discrete
 * images, `p(x) = Π_i p(x_i | x_<i)` in raster order, whose conditionals come
 * from one pass of causal convolutions — a 7×7 type-A {@link MaskedConv2d},
 * residual blocks (1×1 → 3×3 type B → 1×1), and a 1×1 head with `K` logits per
 * channel; or, with `gated`, a stack of {@link GatedMaskedConv2d} layers (no
 * blind spot). The log-likelihood is exact: {@link PixelCNN.logProb}, or
 * {@link bitsPerDim} of the logits. Sampling and inpainting go through
 * {@link sampleAutoregressive} (pixel by pixel).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PixelCNN, bitsPerDim } from '@fovea/generative';
 * const model = new PixelCNN({ levels: 2, hiddenChannels: 32, numLayers: 3 });
 * const x = tf.cast(tf.greater(tf.randomUniform([4, 28, 28, 1]), 0.5), 'float32'); // binary images
 * const logits = model.forward(x);                        // [4, 28, 28, 1, 2]
 * const { bitsPerDim: bpd } = bitsPerDim(logits, tf.cast(x, 'int32')); // the training loss
 * ```
 * @category Autoregressive
 */
export class PixelCNN extends Module<[tf.Tensor], tf.Tensor> {
  /** Image channels `C`. */
  readonly channels: number;
  /** Values per channel `K`. */
  readonly levels: number;
  /** Whether the model is the gated variant. */
  readonly gated: boolean;
  /** The input encoding. */
  readonly inputEncoding: InputEncoding;
  /** Output at `(i, j)` depends on rows `≤ i` only, so samplers may crop the rows below. */
  readonly rowCausal = true;
  /** The first layer: `MaskedConv2d` type A, or a type-A `GatedMaskedConv2d`. */
  readonly input: MaskedConv2d | GatedMaskedConv2d;
  /** Residual blocks or gated layers. */
  readonly layers: ModuleList;
  /** ReLU → 1×1 → ReLU → 1×1 to `C·K` logits. */
  readonly head: Sequential;

  constructor(opts: PixelCNNOptions = {}) {
    super();
    const op = 'PixelCNN';
    this.channels = checkSize(op, 'options.channels', opts.channels ?? 1);
    this.levels = checkSize(op, 'options.levels', opts.levels ?? 2, 2);
    const h = checkSize(op, 'options.hiddenChannels', opts.hiddenChannels ?? 64);
    const n = checkSize(op, 'options.numLayers', opts.numLayers ?? 5, 0);
    const k = checkSize(op, 'options.kernelSize', opts.kernelSize ?? 7, 3);
    this.gated = checkBool(op, 'options.gated', opts.gated ?? false);
    this.inputEncoding = checkEncoding(op, opts.inputEncoding);
    const g = genOpt(opts.generator);
    const cin = encodedChannels(this.channels, this.levels, this.inputEncoding);
    this.input = this.registerModule('input', this.gated ? new GatedMaskedConv2d(cin, h, k, { maskType: 'A', ...g }) : new MaskedConv2d(cin, h, k, { maskType: 'A', ...g }));
    const blocks: Module[] = [];
    for (let i = 0; i < n; i++) blocks.push(this.gated ? new GatedMaskedConv2d(h, h, 3, { maskType: 'B', ...g }) : new ResidualMaskedBlock(h, g.generator));
    this.layers = this.registerModule('layers', new ModuleList(blocks));
    this.head = this.registerModule('head', new Sequential(new ReLU(), new Conv2d(h, h, 1, g), new ReLU(), new Conv2d(h, this.channels * this.levels, 1, g)));
  }

  /** `x [N, H, W, C]` (float32, integer values in `[0, K)`) → logits `[N, H, W, C, K]` of `p(x_i | x_<i)`. */
  forward(x: tf.Tensor): tf.Tensor {
    checkDiscreteImage('PixelCNN.forward', x, this.channels);
    return tf.tidy(() => {
      const e = encodeDiscrete(x, this.levels, this.inputEncoding); // [N, H, W, C or C·K]
      let f: tf.Tensor;
      if (this.gated) {
        let [v, hs] = (this.input as GatedMaskedConv2d).forward(e, e);
        for (const layer of this.layers.children()) [v, hs] = (layer as GatedMaskedConv2d).forward(v, hs);
        f = hs; // [N, H, W, h]
      } else {
        f = (this.input as MaskedConv2d).forward(e);
        for (const layer of this.layers.children()) f = (layer as ResidualMaskedBlock).forward(f);
      }
      return splitLogits(this.head.forward(f), this.channels, this.levels); // [N, H, W, C, K]
    });
  }

  /** Exact `log p(x)` per image, `[N]` nats. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.neg(bitsPerDim(this.forward(x), tf.cast(x, 'int32'), { reduction: 'none' }).nll));
  }
}

/** ReLU → 1×1 (h → h/2) → ReLU → 3×3 type B → ReLU → 1×1 (h/2 → h), plus the input (PixelCNN's residual block). */
class ResidualMaskedBlock extends Module<[tf.Tensor], tf.Tensor> {
  readonly conv1: Conv2d;
  readonly conv2: MaskedConv2d;
  readonly conv3: Conv2d;
  constructor(h: number, generator: Generator | undefined) {
    super();
    const half = Math.max(1, h >> 1);
    const g = genOpt(generator);
    this.conv1 = this.registerModule('conv1', new Conv2d(h, half, 1, g));
    this.conv2 = this.registerModule('conv2', new MaskedConv2d(half, half, 3, { maskType: 'B', ...g }));
    this.conv3 = this.registerModule('conv3', new Conv2d(half, h, 1, g));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(x, this.conv3.forward(relu(this.conv2.forward(relu(this.conv1.forward(relu(x))))))));
  }
}
