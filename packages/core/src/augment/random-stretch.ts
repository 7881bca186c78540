import type * as tf from '@tensorflow/tfjs-core';
import { randomAffineAs, type RandomGeometryOptions } from './random-affine.js';

/**
 * Random stretching (anisotropic scaling) about the image centre: the x and
 * y scales are drawn independently from `stretch = [lo, hi]` for each image,
 * so images get wider, narrower, taller or flatter. See {@link randomAffine}.
 *
 * @param images `[N, H, W, C]` float32.
 * @param stretch range of each axis's scale factor, e.g. `[0.8, 1.2]`.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomStretch } from '@fovea/core';
 * const out = randomStretch(tf.zeros([16, 28, 28, 1]), [0.8, 1.2]);
 * ```
 * @category Augmentation
 */
export function randomStretch(images: tf.Tensor, stretch: [number, number], opts: RandomGeometryOptions = {}): tf.Tensor4D {
  return randomAffineAs('randomStretch', images, { ...opts, stretch });
}
