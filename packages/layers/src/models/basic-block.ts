import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, relu } from '@fovea/core';
import { conv3x3, downsampleBranch } from '../_internal/resnet-parts.js';
import type { Conv2d } from '../conv/conv2d.js';
import { BatchNorm2d } from '../norm/batch-norm.js';
import type { Generator } from '@fovea/core';

/** Options for {@link BasicBlock}. @category Models */
export interface BasicBlockOptions {
  /** Stride of the first 3×3 convolution (and of the shortcut); default 1. */
  stride?: number;
  /**
   * The shortcut branch: `true` builds torchvision's `conv1x1 + BatchNorm2d`
   * (keys `downsample.0.weight`, `downsample.1.*`), a Module is used as is,
   * `false` means identity. Default: `true` exactly when the shape changes
   * (`stride ≠ 1` or `inplanes ≠ planes`).
   */
  downsample?: boolean | Module<[tf.Tensor], tf.Tensor>;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * The two-convolution residual block of ResNet-18/34 (torchvision's
 * `BasicBlock`, expansion 1): `y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`,
 * with torchvision's module names, so a torchvision block's `state_dict`
 * loads unchanged. Input `[N, H, W, inplanes]`, output `[N, H/s, W/s, planes]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BasicBlock } from '@fovea/layers';
 * const block = new BasicBlock(64, 128, { stride: 2 }); // with a downsample branch
 * block.forward(tf.zeros([1, 56, 56, 64])).shape; // [1, 28, 28, 128]
 * Object.keys(block.stateDict()).slice(0, 3); // ['conv1.weight', 'bn1.weight', 'bn1.bias']
 * ```
 * @category Models
 */
export class BasicBlock extends Module<[tf.Tensor], tf.Tensor> {
  /** Channel multiplier of the block's output (1). */
  static readonly expansion = 1;
  /** The first convolution. */
  readonly conv1: Conv2d;
  /** BatchNorm after `conv1`. */
  readonly bn1: BatchNorm2d;
  /** The second convolution. */
  readonly conv2: Conv2d;
  /** BatchNorm after `conv2`. */
  readonly bn2: BatchNorm2d;
  /** The shortcut branch (`conv1x1 + BatchNorm2d`), or `null` for the identity. */
  readonly downsample: Module<[tf.Tensor], tf.Tensor> | null;

  /**
   * @param inplanes input channels.
   * @param planes output channels.
   * @param opts stride, downsample, generator.
   */
  constructor(inplanes: number, planes: number, opts: BasicBlockOptions = {}) {
    super();
    checkNumber('BasicBlock', 'inplanes', inplanes, { integer: true, min: 1 });
    checkNumber('BasicBlock', 'planes', planes, { integer: true, min: 1 });
    const stride = checkNumber('BasicBlock', 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.conv1 = this.registerModule('conv1', conv3x3(inplanes, planes, stride, 1, 1, gen));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes, 1, 1, 1, gen));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    const ds = opts.downsample ?? (stride !== 1 || inplanes !== planes);
    const branch = ds === true ? downsampleBranch(inplanes, planes, stride, gen) : ds === false ? null : ds;
    this.downsample = this.registerModule('downsample', branch);
  }

  /** `x [N, H, W, inplanes]` → `[N, Ho, Wo, planes]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = relu(this.bn1.forward(this.conv1.forward(x))); // [N, Ho, Wo, planes]
      const out = this.bn2.forward(this.conv2.forward(h));
      const identity = this.downsample ? this.downsample.forward(x) : x;
      return relu(tf.add(out, identity));
    });
  }
}
