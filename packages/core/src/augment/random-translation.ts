import type * as tf from '@tensorflow/tfjs-core';
import { randomAffineAs, type RandomGeometryOptions } from './random-affine.js';

/**
 * Random translation by whole pixels, up to `translate = [fx, fy]` times the
 * width and height in each direction (torchvision's `RandomAffine(0,
 * translate=...)`); uncovered pixels get `fill`. See {@link randomAffine}.
 *
 * @param images `[N, H, W, C]` float32.
 * @param translate maximum shift as fractions `[fx, fy]` in `[0, 1]`.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomTranslation } from '@fovea/core';
 * const out = randomTranslation(tf.zeros([16, 28, 28, 1]), [0.1, 0.1]); // shifts of up to ±3 px
 * ```
 * @category Augmentation
 */
export function randomTranslation(images: tf.Tensor, translate: [number, number], opts: RandomGeometryOptions = {}): tf.Tensor4D {
  return randomAffineAs('randomTranslation', images, { ...opts, translate });
}
