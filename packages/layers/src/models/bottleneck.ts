import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, relu, type Generator } from '@fovea/core';
import { conv1x1, conv3x3, downsampleBranch } from '../_internal/resnet-parts.js';
import type { Conv2d } from '../conv/conv2d.js';
import { BatchNorm2d } from '../norm/batch-norm.js';

/** Options for {@link Bottleneck}. @category Models */
export interface BottleneckOptions {
  /** Stride of the 3×3 convolution (torchvision's ResNet v1.5) and of the shortcut; default 1. */
  stride?: number;
  /** The shortcut branch, as in {@link BasicBlockOptions.downsample}; default: `true` when `stride ≠ 1` or `inplanes ≠ 4·planes`. */
  downsample?: boolean | Module<[tf.Tensor], tf.Tensor>;
  /** Groups of the 3×3 convolution (ResNeXt); default 1. */
  groups?: number;
  /** Width per group (ResNeXt / Wide ResNet); default 64. */
  baseWidth?: number;
  /** Dilation of the 3×3 convolution; default 1. */
  dilation?: number;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * The three-convolution residual block of ResNet-50/101/152 (torchvision's
 * `Bottleneck`, expansion 4, stride on the 3×3 convolution):
 * `y = relu(bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x)))))))) + shortcut(x))`
 * with `width = floor(planes · baseWidth/64) · groups`, and torchvision's
 * module names. Input `[N, H, W, inplanes]`, output `[N, H/s, W/s, 4·planes]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Bottleneck } from '@fovea/layers';
 * const block = new Bottleneck(64, 64); // 64 → 256 channels, with a downsample branch
 * block.forward(tf.zeros([1, 56, 56, 64])).shape; // [1, 56, 56, 256]
 * ```
 * @category Models
 */
export class Bottleneck extends Module<[tf.Tensor], tf.Tensor> {
  /** Channel multiplier of the block's output (4). */
  static readonly expansion = 4;
  /** The first convolution. */
  readonly conv1: Conv2d;
  /** BatchNorm after `conv1`. */
  readonly bn1: BatchNorm2d;
  /** The second convolution. */
  readonly conv2: Conv2d;
  /** BatchNorm after `conv2`. */
  readonly bn2: BatchNorm2d;
  /** The third (1×1, expanding) convolution. */
  readonly conv3: Conv2d;
  /** BatchNorm after `conv3`. */
  readonly bn3: BatchNorm2d;
  /** The shortcut branch (`conv1x1 + BatchNorm2d`), or `null` for the identity. */
  readonly downsample: Module<[tf.Tensor], tf.Tensor> | null;

  /**
   * @param inplanes input channels.
   * @param planes bottleneck channels (the output has `4·planes`).
   * @param opts stride, downsample, groups, baseWidth, dilation, generator.
   */
  constructor(inplanes: number, planes: number, opts: BottleneckOptions = {}) {
    super();
    const op = 'Bottleneck';
    checkNumber(op, 'inplanes', inplanes, { integer: true, min: 1 });
    checkNumber(op, 'planes', planes, { integer: true, min: 1 });
    const stride = checkNumber(op, 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
    const groups = checkNumber(op, 'options.groups', opts.groups ?? 1, { integer: true, min: 1 });
    const baseWidth = checkNumber(op, 'options.baseWidth', opts.baseWidth ?? 64, { integer: true, min: 1 });
    const dilation = checkNumber(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    const width = Math.floor(planes * (baseWidth / 64)) * groups;
    const out = planes * Bottleneck.expansion;
    this.conv1 = this.registerModule('conv1', conv1x1(inplanes, width, 1, gen));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(width));
    this.conv2 = this.registerModule('conv2', conv3x3(width, width, stride, groups, dilation, gen));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(width));
    this.conv3 = this.registerModule('conv3', conv1x1(width, out, 1, gen));
    this.bn3 = this.registerModule('bn3', new BatchNorm2d(out));
    const ds = opts.downsample ?? (stride !== 1 || inplanes !== out);
    const branch = ds === true ? downsampleBranch(inplanes, out, stride, gen) : ds === false ? null : ds;
    this.downsample = this.registerModule('downsample', branch);
  }

  /** `x [N, H, W, inplanes]` → `[N, Ho, Wo, 4·planes]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = relu(this.bn1.forward(this.conv1.forward(x))); // [N, H, W, width]
      h = relu(this.bn2.forward(this.conv2.forward(h))); // [N, Ho, Wo, width]
      const out = this.bn3.forward(this.conv3.forward(h)); // [N, Ho, Wo, 4·planes]
      const identity = this.downsample ? this.downsample.forward(x) : x;
      return relu(tf.add(out, identity));
    });
  }
}
