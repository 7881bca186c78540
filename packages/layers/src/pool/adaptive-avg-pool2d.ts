import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber } from '@fovea/core';
import { checkImage, pair } from '../_internal/args.js';
import { adaptiveMap, resampleSeparable } from '../_internal/separable.js';

/** An output size `int or [oh, ow]`; `null` in a pair keeps that input dim. @category Pooling */
export type AdaptiveSize = number | readonly [number | null, number | null];

function resolveSize(op: string, size: unknown, h: number, w: number): [number, number] {
  if (Array.isArray(size) && size.length === 2) {
    const oh = size[0] === null ? h : checkNumber(op, 'outputSize[0]', size[0], { integer: true, min: 1 });
    const ow = size[1] === null ? w : checkNumber(op, 'outputSize[1]', size[1], { integer: true, min: 1 });
    return [oh, ow];
  }
  return pair(op, 'outputSize', size, { integer: true, min: 1 });
}

/**
 * Adaptive average pooling, PyTorch's `F.adaptive_avg_pool2d` on
 * channels-last images: output bin `i` averages input rows
 * `[floor(i·H/oh), ceil((i+1)·H/oh))` (bins may overlap; `oh > H` is allowed),
 * likewise for columns. Differentiable.
 *
 * @param x `[N, H, W, C]`.
 * @param outputSize `int or [oh, ow]` (`null` keeps that dim).
 * @returns `[N, oh, ow, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adaptiveAvgPool2d } from '@fovea/layers';
 * adaptiveAvgPool2d(tf.ones([2, 7, 7, 512]), 1).shape; // [2, 1, 1, 512] (global average pooling)
 * ```
 * @category Pooling
 */
export function adaptiveAvgPool2d(x: tf.Tensor, outputSize: AdaptiveSize): tf.Tensor4D {
  const op = 'adaptiveAvgPool2d';
  const [n, h, w, c] = checkImage(op, 'x', x);
  const [oh, ow] = resolveSize(op, outputSize, h, w);
  if (x.size === 0) return tf.zeros([n, oh, ow, c]);
  return tf.tidy(() => {
    if (oh === 1 && ow === 1) return tf.mean(x, [1, 2], true) as tf.Tensor4D;
    if (h % oh === 0 && w % ow === 0) {
      const k: [number, number] = [h / oh, w / ow];
      return tf.avgPool(x as tf.Tensor4D, k, k, 'valid');
    }
    return resampleSeparable(x as tf.Tensor4D, adaptiveMap(h, oh), adaptiveMap(w, ow));
  });
}

/**
 * An adaptive average-pooling layer (PyTorch's `nn.AdaptiveAvgPool2d`); no
 * parameters. See {@link adaptiveAvgPool2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AdaptiveAvgPool2d } from '@fovea/layers';
 * new AdaptiveAvgPool2d([7, 7]).forward(tf.zeros([1, 13, 13, 8])).shape; // [1, 7, 7, 8]
 * ```
 * @category Pooling
 */
export class AdaptiveAvgPool2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The output size it pools to. */
  readonly outputSize: AdaptiveSize;

  /** @param outputSize `int or [oh, ow]` (`null` keeps that dim). */
  constructor(outputSize: AdaptiveSize) {
    super();
    resolveSize('AdaptiveAvgPool2d', outputSize, 1, 1);
    this.outputSize = outputSize;
  }

  /** `x [N, H, W, C]` → `[N, oh, ow, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
