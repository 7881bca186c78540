import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, Sequential, checkNumber, checkOneOf, kaimingNormal, relu, type Generator } from '@fovea/core';
import { Conv2d } from '../conv/conv2d.js';
import { Linear } from '../linear/linear.js';
import { flatten } from '../linear/flatten.js';
import { BatchNorm2d } from '../norm/batch-norm.js';
import { adaptiveAvgPool2d } from '../pool/adaptive-avg-pool2d.js';
import { MaxPool2d } from '../pool/max-pool2d.js';
import { BasicBlock } from './basic-block.js';
import { Bottleneck } from './bottleneck.js';

/** Options for {@link ResNet}. @category Models */
export interface ResNetOptions {
  /** The residual block: `'basic'` (ResNet-18/34) or `'bottleneck'` (ResNet-50/101/152). */
  block: 'basic' | 'bottleneck';
  /** Blocks per stage, e.g. `[2, 2, 2, 2]` for ResNet-18 (any number of stages). */
  layers: readonly number[];
  /** Output classes of the `fc` head; default 1000. */
  numClasses?: number;
  /** Input channels; default 3. */
  inChannels?: number;
  /** Channels (`planes`) of each stage; default `[64, 128, 256, 512]` (the stem has `widths[0]`). */
  widths?: readonly number[];
  /**
   * `'imagenet'` (default): 7×7 stride-2 convolution and 3×3 stride-2 max pool, as torchvision;
   * `'small'`: one 3×3 stride-1 convolution and no pooling (CIFAR-style, for 28–64 px inputs).
   */
  stem?: 'imagenet' | 'small';
  /** Start each block's last BatchNorm at γ = 0 (each block starts as the identity); default `false`. */
  zeroInitResidual?: boolean;
  /** Bottleneck groups (ResNeXt); default 1. */
  groups?: number;
  /** Bottleneck width per group; default 64. */
  widthPerGroup?: number;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * A residual network (He et al. 2016) as torchvision builds it, with
 * torchvision's module names (`conv1`, `bn1`, `layer1.0.conv1`, …, `fc`) so a
 * torchvision ResNet `state_dict` loads unchanged, and torchvision's init
 * (Kaiming-normal fan-out convolutions). Input `[N, H, W, C]`, output
 * `[N, numClasses]` logits; {@link ResNet.features} gives the pooled
 * `[N, D]` features before `fc` for feature extraction.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ResNet } from '@fovea/layers';
 * const net = new ResNet({ block: 'basic', layers: [1, 1], widths: [16, 32], numClasses: 10, inChannels: 1, stem: 'small' });
 * net.forward(tf.zeros([2, 28, 28, 1])).shape; // [2, 10]
 * ```
 * @category Models
 */
export class ResNet extends Module<[tf.Tensor], tf.Tensor> {
  /** The first convolution. */
  readonly conv1: Conv2d;
  /** BatchNorm after `conv1`. */
  readonly bn1: BatchNorm2d;
  /** The stem max pool (`null` with the small stem). */
  readonly maxpool: MaxPool2d | null;
  /** Number of residual stages (`layer1` … `layerK`). */
  readonly numStages: number;
  /** The classifier head `Linear(numFeatures, numClasses)`. */
  readonly fc: Linear;
  /** Width of the pooled features (`widths.at(-1) · expansion`). */
  readonly numFeatures: number;

  /** @param opts block, layers, numClasses, inChannels, widths, stem, zeroInitResidual, groups, widthPerGroup, generator. */
  constructor(opts: ResNetOptions) {
    super();
    const op = 'ResNet';
    const block = checkOneOf(op, 'options.block', opts.block, ['basic', 'bottleneck'] as const);
    const stem = checkOneOf(op, 'options.stem', opts.stem ?? 'imagenet', ['imagenet', 'small'] as const);
    const widths = opts.widths ?? [64, 128, 256, 512];
    if (!Array.isArray(opts.layers) || opts.layers.length === 0 || opts.layers.length !== widths.length) {
      throw new FoveaError({ op, arg: 'options.layers', expected: `one block count per stage (${widths.length} stages)`, got: JSON.stringify(opts.layers) });
    }
    opts.layers.forEach((count, i) => {
      checkNumber(op, `options.widths[${i}]`, widths[i], { integer: true, min: 1 });
      checkNumber(op, `options.layers[${i}]`, count, { integer: true, min: 1 });
    });
    const numClasses = checkNumber(op, 'options.numClasses', opts.numClasses ?? 1000, { integer: true, min: 1 });
    const inChannels = checkNumber(op, 'options.inChannels', opts.inChannels ?? 3, { integer: true, min: 1 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    const expansion = block === 'basic' ? BasicBlock.expansion : Bottleneck.expansion;
    let inplanes = checkNumber(op, 'options.widths[0]', widths[0], { integer: true, min: 1 });
    const big = stem === 'imagenet';
    this.conv1 = this.registerModule('conv1', new Conv2d(inChannels, inplanes, big ? 7 : 3, { stride: big ? 2 : 1, padding: big ? 3 : 1, bias: false, ...gen }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(inplanes));
    this.maxpool = big ? this.registerModule('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 })) : null;
    opts.layers.forEach((count, i) => {
      const planes = checkNumber(op, `options.widths[${i}]`, widths[i], { integer: true, min: 1 });
      const n = checkNumber(op, `options.layers[${i}]`, count, { integer: true, min: 1 });
      const stage = new Sequential();
      for (let b = 0; b < n; b++) {
        const stride = b === 0 && i > 0 ? 2 : 1;
        stage.append(
          block === 'basic'
            ? new BasicBlock(inplanes, planes, { stride, ...gen })
            : new Bottleneck(inplanes, planes, { stride, groups: opts.groups ?? 1, baseWidth: opts.widthPerGroup ?? 64, ...gen }),
        );
        inplanes = planes * expansion;
      }
      this.registerModule(`layer${i + 1}`, stage);
    });
    this.numStages = opts.layers.length;
    this.numFeatures = inplanes;
    this.fc = this.registerModule('fc', new Linear(inplanes, numClasses, gen));
    this.initWeights(opts.zeroInitResidual ?? false, opts.generator);
  }

  /** torchvision's init: Kaiming-normal (fan-out, ReLU) convolutions, BN γ = 1, β = 0 (γ = 0 on each block's last BN with `zeroInitResidual`). */
  private initWeights(zeroInitResidual: boolean, generator: Generator | undefined): void {
    for (const m of this.modules()) {
      if (m instanceof Conv2d) kaimingNormal(m.weight, { mode: 'fan_out', nonlinearity: 'relu', ...(generator ? { generator } : {}) });
    }
    if (!zeroInitResidual) return;
    for (const m of this.modules()) {
      const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
      if (last?.weight) tf.tidy(() => last.weight!.assign(tf.zerosLike(last.weight!)));
    }
  }

  /** The pooled features `[N, numFeatures]` (everything but `fc`). */
  features(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h = relu(this.bn1.forward(this.conv1.forward(x))); // [N, H', W', widths[0]]
      if (this.maxpool) h = this.maxpool.forward(h);
      for (let i = 1; i <= this.numStages; i++) h = (this.getModule(`layer${i}`) as Module<[tf.Tensor], tf.Tensor>).forward(h);
      return flatten(adaptiveAvgPool2d(h, 1)); // [N, numFeatures]
    });
  }

  /** `x [N, H, W, C]` → logits `[N, numClasses]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc.forward(this.features(x)));
  }
}

/** Options for the fixed-depth ResNet factories. @category Models */
export type ResNetFactoryOptions = Omit<ResNetOptions, 'block' | 'layers'>;

/**
 * ResNet-18 (`BasicBlock`, `[2, 2, 2, 2]`), torchvision's `resnet18` architecture and key names.
 *
 * @example
 * ```ts
 * import { resnet18 } from '@fovea/layers';
 * const net = resnet18({ numClasses: 10 });
 * net.numParameters(); // 11181642
 * ```
 * @category Models
 */
export function resnet18(opts: ResNetFactoryOptions = {}): ResNet {
  return new ResNet({ ...opts, block: 'basic', layers: [2, 2, 2, 2] });
}

/**
 * ResNet-34 (`BasicBlock`, `[3, 4, 6, 3]`), torchvision's `resnet34` architecture and key names.
 *
 * @example
 * ```ts
 * import { resnet34 } from '@fovea/layers';
 * const net = resnet34();
 * net.dispose();
 * ```
 * @category Models
 */
export function resnet34(opts: ResNetFactoryOptions = {}): ResNet {
  return new ResNet({ ...opts, block: 'basic', layers: [3, 4, 6, 3] });
}

/**
 * ResNet-50 (`Bottleneck`, `[3, 4, 6, 3]`), torchvision's `resnet50` architecture and key names.
 *
 * @example
 * ```ts
 * import { resnet50 } from '@fovea/layers';
 * const net = resnet50();
 * net.numParameters(); // 25557032
 * ```
 * @category Models
 */
export function resnet50(opts: ResNetFactoryOptions = {}): ResNet {
  return new ResNet({ ...opts, block: 'bottleneck', layers: [3, 4, 6, 3] });
}
