import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ReLU, Sequential, checkNumber, checkOneOf, kaimingNormal, relu, type Generator } from '@fovea/core';
import { BasicBlock, BatchNorm2d, Conv2d } from '@fovea/layers';
import { checkImages } from './_internal/checks.js';

/** The stage block of a {@link ConvBackbone}. @category Detectors */
export type BackboneBlock = 'plain' | 'basic';

/** Options for {@link ConvBackbone}. @category Detectors */
export interface ConvBackboneOptions {
  /** Input channels; default 3 (RGB). */
  inChannels?: number;
  /** Channels of the stem and of each stage; default `[16, 32, 64, 128]` (small enough to train on a CPU in minutes). */
  widths?: readonly number[];
  /**
   * `'plain'` (default): each stage is a stride-2 3×3 convolution and a 3×3
   * convolution, each followed by ReLU, no normalisation (VGG-style; the
   * fastest to train on CPU/WASM, where BatchNorm's reductions cost as much
   * as the convolutions). `'basic'`: @fovea/layers' ResNet `BasicBlock`s
   * (BatchNorm, residual shortcut), and a BatchNorm after the stem.
   */
  block?: BackboneBlock;
  /** Blocks per stage after the stem (`widths.length - 1` numbers); default one each. */
  blocks?: readonly number[];
  /** Stride of the stem convolution, 1 or 2; default 1. */
  stemStride?: number;
  /** Random source for the initial weights; default core's default generator. */
  generator?: Generator;
}

/** A `'plain'` stage: `blocks` pairs of 3×3 convolutions with ReLU, the first one of stride 2. */
function plainStage(cin: number, cout: number, blocks: number, gen: { generator?: Generator }): Sequential {
  const s = new Sequential();
  for (let b = 0; b < blocks; b++) {
    s.append(new Conv2d(b === 0 ? cin : cout, cout, 3, { stride: b === 0 ? 2 : 1, padding: 1, ...gen }));
    s.append(new ReLU());
    s.append(new Conv2d(cout, cout, 3, { padding: 1, ...gen }));
    s.append(new ReLU());
  }
  return s;
}

/**
 * A small convolutional feature extractor for detection and segmentation: a
 * 3×3 convolution stem, then stages that each halve the resolution — plain
 * convolution pairs or @fovea/layers' ResNet {@link BasicBlock}s (see
 * {@link ConvBackboneOptions.block}). Unlike `ResNet` from @fovea/layers (a
 * classifier ending in pooling), `forward` returns the feature map of the
 * stem and of every stage, finest first, for a {@link FeaturePyramid}, RoI
 * pooling or an FCN decoder. Convolutions start Kaiming-normal (fan-out), as
 * torchvision's ResNets.
 *
 * State-dict keys: `stem.0.weight` (and `stem.1.*`, BatchNorm, with `'basic'`), `layer1.0.weight` / `layer1.0.conv1.weight`, ….
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ConvBackbone } from '@fovea/detection';
 * const backbone = new ConvBackbone({ widths: [16, 32, 64, 128], stemStride: 2 });
 * const maps = backbone.forward(tf.zeros([2, 64, 64, 3]));
 * maps.map((m) => m.shape); // [[2, 32, 32, 16], [2, 16, 16, 32], [2, 8, 8, 64], [2, 4, 4, 128]]
 * backbone.strides;         // [2, 4, 8, 16]
 * ```
 * @category Detectors
 */
export class ConvBackbone extends Module<[tf.Tensor], tf.Tensor4D[]> {
  /** Input channels. */
  readonly inChannels: number;
  /** Channels of each returned map, finest first. */
  readonly channels: number[];
  /** Stride (downsampling factor) of each returned map, finest first. */
  readonly strides: number[];
  private readonly stem: Sequential;
  private readonly stages: Module<[tf.Tensor], tf.Tensor>[];

  /** @param opts widths, block, blocks, stem stride, input channels, generator. */
  constructor(opts: ConvBackboneOptions = {}) {
    super();
    const op = 'ConvBackbone';
    this.inChannels = checkNumber(op, 'options.inChannels', opts.inChannels ?? 3, { integer: true, min: 1 });
    const widths = opts.widths ?? [16, 32, 64, 128];
    if (!Array.isArray(widths) || widths.length === 0) {
      throw new FoveaError({ op, arg: 'options.widths', expected: 'a non-empty list of channel counts', got: JSON.stringify(widths) });
    }
    widths.forEach((w, i) => checkNumber(op, `options.widths[${i}]`, w, { integer: true, min: 1 }));
    const block = checkOneOf(op, 'options.block', opts.block ?? 'plain', ['plain', 'basic'] as const);
    const blocks = opts.blocks ?? widths.slice(1).map(() => 1);
    if (!Array.isArray(blocks) || blocks.length !== widths.length - 1) {
      throw new FoveaError({ op, arg: 'options.blocks', expected: `${widths.length - 1} block counts (one per stage after the stem)`, got: JSON.stringify(blocks) });
    }
    blocks.forEach((b, i) => checkNumber(op, `options.blocks[${i}]`, b, { integer: true, min: 1 }));
    const stemStride = checkNumber(op, 'options.stemStride', opts.stemStride ?? 1, { integer: true, min: 1, max: 2 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    const basic = block === 'basic';
    const stemConv = new Conv2d(this.inChannels, widths[0]!, 3, { stride: stemStride, padding: 1, bias: !basic, ...gen });
    this.stem = this.registerModule('stem', basic ? new Sequential(stemConv, new BatchNorm2d(widths[0]!)) : new Sequential(stemConv));
    this.stages = blocks.map((n, i) => {
      if (!basic) return this.registerModule(`layer${i + 1}`, plainStage(widths[i]!, widths[i + 1]!, n, gen));
      const stage = new Sequential();
      for (let b = 0; b < n; b++) stage.append(new BasicBlock(b === 0 ? widths[i]! : widths[i + 1]!, widths[i + 1]!, { stride: b === 0 ? 2 : 1, ...gen }));
      return this.registerModule(`layer${i + 1}`, stage);
    });
    this.channels = [...widths];
    this.strides = widths.map((_, i) => stemStride * 2 ** i);
    for (const m of this.modules()) {
      if (!(m instanceof Conv2d)) continue;
      kaimingNormal(m.weight, { mode: 'fan_out', nonlinearity: 'relu', ...gen });
      if (m.bias) tf.tidy(() => m.bias!.assign(tf.zerosLike(m.bias!)));
    }
  }

  /** `x [N, H, W, inChannels]` → one map per stage, `[N, ceil(H/s), ceil(W/s), widths[i]]`, finest first. */
  forward(x: tf.Tensor): tf.Tensor4D[] {
    checkImages('ConvBackbone.forward', x, this.inChannels);
    return tf.tidy(() => {
      const out: tf.Tensor4D[] = [relu(this.stem.forward(x)) as tf.Tensor4D]; // [N, H/s0, W/s0, w0]
      for (const stage of this.stages) out.push(stage.forward(out[out.length - 1]!) as tf.Tensor4D);
      return out;
    });
  }
}
