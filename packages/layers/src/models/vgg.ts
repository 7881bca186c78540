import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ReLU, Sequential, checkNumber, checkOneOf, kaimingNormal, randn, type Generator } from '@fovea/core';
import { Conv2d } from '../conv/conv2d.js';
import { Linear } from '../linear/linear.js';
import { flatten } from '../linear/flatten.js';
import { BatchNorm2d } from '../norm/batch-norm.js';
import { AdaptiveAvgPool2d } from '../pool/adaptive-avg-pool2d.js';
import { AvgPool2d } from '../pool/avg-pool2d.js';
import { MaxPool2d } from '../pool/max-pool2d.js';
import { Dropout } from '../regularization/dropout.js';

/**
 * One entry of a {@link ConvNet} feature stack: a number is a 3×3 convolution
 * (padding 1) with that many output channels followed by ReLU (VGG's cell);
 * `'M'` is a 2×2 max pool; objects give a convolution's or pool's own geometry.
 *
 * @category Models
 */
export type ConvSpec = number | 'M' | ConvLayerSpec | PoolLayerSpec;

/** A convolution (followed by ReLU, and BatchNorm with `batchNorm`) in a {@link ConvNet}. @category Models */
export interface ConvLayerSpec {
  /** Output channels. */
  conv: number;
  /** Kernel size; default 3. */
  kernel?: number;
  /** Stride; default 1. */
  stride?: number;
  /** Zero padding; default `floor(kernel / 2)`. */
  padding?: number;
}

/** A pooling layer in a {@link ConvNet}. @category Models */
export interface PoolLayerSpec {
  /** Max or average pooling. */
  pool: 'max' | 'avg';
  /** Window size. */
  kernel: number;
  /** Stride; default `kernel`. */
  stride?: number;
  /** Padding; default 0. */
  padding?: number;
}

/** Options for {@link ConvNet}. @category Models */
export interface ConvNetOptions {
  /** The feature stack, input to output (see {@link ConvSpec}). */
  features: readonly ConvSpec[];
  /** Input channels; default 3. */
  inChannels?: number;
  /** Output classes; default 1000. */
  numClasses?: number;
  /** BatchNorm after every convolution (VGG-BN); default `false`. */
  batchNorm?: boolean;
  /** Adaptive average pooling to this size before the classifier (torchvision: `[7, 7]` for VGG, `[6, 6]` for AlexNet), or `null` for none; default `[7, 7]`. */
  avgpoolSize?: readonly [number, number] | null;
  /** Input size `[H, W]`: needed to size the classifier when `avgpoolSize` is `null`. */
  inputSize?: readonly [number, number];
  /** Hidden widths of the classifier; default `[4096, 4096]`. */
  hidden?: readonly number[];
  /** Dropout probability in the classifier; default 0.5. */
  dropout?: number;
  /** `'vgg'`: Linear, ReLU, Dropout per hidden layer (torchvision VGG's order); `'alexnet'`: Dropout, Linear, ReLU; default `'vgg'`. */
  classifierStyle?: 'vgg' | 'alexnet';
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * A plain convolutional network in the VGG/AlexNet mould: a `features`
 * stack of convolutions, ReLUs and pools, optional adaptive average pooling
 * (`avgpool`), and a `classifier` of fully connected layers with dropout — the
 * module names and indices torchvision uses (`features.0.weight`,
 * `classifier.6.bias`), so torchvision VGG/AlexNet `state_dict`s load
 * unchanged (the flatten before the classifier uses PyTorch's order).
 * Input `[N, H, W, C]`, output `[N, numClasses]` logits.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ConvNet } from '@fovea/layers';
 * // a small VGG-style net for 28×28 digits
 * const net = new ConvNet({ features: [32, 'M', 64, 'M'], inChannels: 1, numClasses: 10, avgpoolSize: null, inputSize: [28, 28], hidden: [128] });
 * net.forward(tf.zeros([4, 28, 28, 1])).shape; // [4, 10]
 * ```
 * @category Models
 */
export class ConvNet extends Module<[tf.Tensor], tf.Tensor> {
  /** The convolutional feature stack. */
  readonly features: Sequential;
  /** Adaptive average pooling before the classifier, or `null`. */
  readonly avgpool: AdaptiveAvgPool2d | null;
  /** The fully connected classifier. */
  readonly classifier: Sequential;
  /** Width of the flattened features that enter the classifier. */
  readonly numFeatures: number;

  /** @param opts features, inChannels, numClasses, batchNorm, avgpoolSize, inputSize, hidden, dropout, classifierStyle, generator. */
  constructor(opts: ConvNetOptions) {
    super();
    const op = 'ConvNet';
    if (!Array.isArray(opts.features) || opts.features.length === 0) {
      throw new FoveaError({ op, arg: 'options.features', expected: 'a non-empty array of layer specs', got: String(opts.features) });
    }
    const gen = opts.generator ? { generator: opts.generator } : {};
    let channels = checkNumber(op, 'options.inChannels', opts.inChannels ?? 3, { integer: true, min: 1 });
    const numClasses = checkNumber(op, 'options.numClasses', opts.numClasses ?? 1000, { integer: true, min: 1 });
    const style = checkOneOf(op, 'options.classifierStyle', opts.classifierStyle ?? 'vgg', ['vgg', 'alexnet'] as const);
    const p = checkNumber(op, 'options.dropout', opts.dropout ?? 0.5, { min: 0, max: 1 });
    let size: [number, number] | null = opts.inputSize ? [opts.inputSize[0], opts.inputSize[1]] : null;
    const features = new Sequential();
    opts.features.forEach((spec, i) => {
      const where = `options.features[${i}]`;
      if (spec === 'M' || (typeof spec === 'object' && 'pool' in spec)) {
        const k = spec === 'M' ? 2 : checkNumber(op, `${where}.kernel`, spec.kernel, { integer: true, min: 1 });
        const s = spec === 'M' ? 2 : (spec.stride ?? k);
        const pad = spec === 'M' ? 0 : (spec.padding ?? 0);
        features.append(spec !== 'M' && spec.pool === 'avg' ? new AvgPool2d(k, { stride: s, padding: pad }) : new MaxPool2d(k, { stride: s, padding: pad }));
        if (size) size = size.map((n) => Math.floor((n + 2 * pad - k) / s) + 1) as [number, number];
        return;
      }
      const c = typeof spec === 'number' ? spec : spec.conv;
      const out = checkNumber(op, typeof spec === 'number' ? where : `${where}.conv`, c, { integer: true, min: 1 });
      const k = typeof spec === 'number' ? 3 : (spec.kernel ?? 3);
      const s = typeof spec === 'number' ? 1 : (spec.stride ?? 1);
      const pad = typeof spec === 'number' ? 1 : (spec.padding ?? Math.floor(k / 2));
      features.append(new Conv2d(channels, out, k, { stride: s, padding: pad, ...gen }));
      if (opts.batchNorm) features.append(new BatchNorm2d(out));
      features.append(new ReLU());
      channels = out;
      if (size) size = size.map((n) => Math.floor((n + 2 * pad - k) / s) + 1) as [number, number];
    });
    this.features = this.registerModule('features', features);
    const pool = opts.avgpoolSize === undefined ? ([7, 7] as const) : opts.avgpoolSize;
    this.avgpool = pool ? this.registerModule('avgpool', new AdaptiveAvgPool2d([pool[0], pool[1]])) : null;
    if (pool) size = [pool[0], pool[1]];
    if (!size || size[0] < 1 || size[1] < 1) {
      this.dispose(); // release what was built before failing
      throw new FoveaError({ op, arg: 'options.inputSize', expected: 'an input size that survives the feature stack (needed when avgpoolSize is null)', got: opts.inputSize ? JSON.stringify(opts.inputSize) : 'none' });
    }
    this.numFeatures = channels * size[0] * size[1];
    const classifier = new Sequential();
    let width = this.numFeatures;
    for (const h of opts.hidden ?? [4096, 4096]) {
      checkNumber(op, 'options.hidden[]', h, { integer: true, min: 1 });
      if (style === 'alexnet') classifier.append(new Dropout(p, gen));
      classifier.append(new Linear(width, h, gen));
      classifier.append(new ReLU());
      if (style === 'vgg') classifier.append(new Dropout(p, gen));
      width = h;
    }
    classifier.append(new Linear(width, numClasses, gen));
    this.classifier = this.registerModule('classifier', classifier);
  }

  /** The flattened features `[N, numFeatures]` that enter the classifier. */
  forwardFeatures(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.features.forward(x);
      if (this.avgpool) h = this.avgpool.forward(h);
      return flatten(h); // PyTorch's order, so torchvision classifier weights load
    });
  }

  /** `x [N, H, W, C]` → logits `[N, numClasses]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.classifier.forward(this.forwardFeatures(x)));
  }
}

const VGG_CFGS: Record<'vgg11' | 'vgg13' | 'vgg16' | 'vgg19', ConvSpec[]> = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  vgg19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** Options for {@link vgg}. @category Models */
export type VGGOptions = Omit<ConvNetOptions, 'features' | 'classifierStyle'>;

/**
 * A VGG network (Simonyan & Zisserman 2015) as torchvision builds it
 * (`vgg11` … `vgg19`, with `batchNorm` for the `_bn` variants), with
 * torchvision's init (Kaiming-normal fan-out convolutions, N(0, 0.01) linear
 * weights, zero biases) and key names.
 *
 * @param depth `'vgg11'`, `'vgg13'`, `'vgg16'` or `'vgg19'`.
 * @param opts ConvNet options except the feature stack.
 * @returns the network.
 * @example
 * ```ts
 * import { vgg } from '@fovea/layers';
 * const net = vgg('vgg16', { numClasses: 10 });
 * Object.keys(net.stateDict())[0]; // 'features.0.weight'
 * ```
 * @category Models
 */
export function vgg(depth: 'vgg11' | 'vgg13' | 'vgg16' | 'vgg19', opts: VGGOptions = {}): ConvNet {
  const cfg = VGG_CFGS[checkOneOf('vgg', 'depth', depth, ['vgg11', 'vgg13', 'vgg16', 'vgg19'] as const)];
  const net = new ConvNet({ ...opts, features: cfg, classifierStyle: 'vgg' });
  const gen = opts.generator ? { generator: opts.generator } : {};
  for (const m of net.modules()) {
    if (m instanceof Conv2d) {
      kaimingNormal(m.weight, { mode: 'fan_out', nonlinearity: 'relu', ...gen });
      if (m.bias) tf.tidy(() => m.bias!.assign(tf.zerosLike(m.bias!)));
    } else if (m instanceof Linear) {
      tf.tidy(() => m.weight.assign(randn(m.weight.shape, { std: 0.01, ...gen })));
      if (m.bias) tf.tidy(() => m.bias!.assign(tf.zerosLike(m.bias!)));
    }
  }
  return net;
}

/**
 * AlexNet (Krizhevsky et al. 2012) as torchvision builds it: five
 * convolutions (11×11 stride 4, 5×5, three 3×3) with overlapping 3×3 max
 * pools, 6×6 adaptive pooling and a dropout classifier, with torchvision's key
 * names (`features.0`, `classifier.1`, …).
 *
 * @param opts ConvNet options except the feature stack (`hidden` defaults to `[4096, 4096]`).
 * @returns the network.
 * @example
 * ```ts
 * import { alexnet } from '@fovea/layers';
 * const net = alexnet({ numClasses: 10 });
 * net.numParameters(); // 57044810
 * ```
 * @category Models
 */
export function alexnet(opts: VGGOptions = {}): ConvNet {
  return new ConvNet({
    avgpoolSize: [6, 6],
    ...opts,
    classifierStyle: 'alexnet',
    features: [
      { conv: 64, kernel: 11, stride: 4, padding: 2 },
      { pool: 'max', kernel: 3, stride: 2 },
      { conv: 192, kernel: 5, padding: 2 },
      { pool: 'max', kernel: 3, stride: 2 },
      { conv: 384, kernel: 3, padding: 1 },
      { conv: 256, kernel: 3, padding: 1 },
      { conv: 256, kernel: 3, padding: 1 },
      { pool: 'max', kernel: 3, stride: 2 },
    ],
  });
}
