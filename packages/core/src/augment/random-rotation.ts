import type * as tf from '@tensorflow/tfjs-core';
import { parseRange } from './_internal/random.js';
import { randomAffineAs, type RandomGeometryOptions } from './random-affine.js';

/**
 * Random rotation about the image centre, as torchvision's `RandomRotation`:
 * each image is rotated by an angle drawn from `degrees` (`d` for `[-d, d]`),
 * counter-clockwise for positive angles. See {@link randomAffine}.
 *
 * @param images `[N, H, W, C]` float32.
 * @param degrees `d` for `[-d, d]`, or `[lo, hi]` (counter-clockwise degrees).
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomRotation } from '@fovea/core';
 * const out = randomRotation(tf.zeros([16, 28, 28, 1]), 15); // each digit turned by up to ±15°
 * ```
 * @category Augmentation
 */
export function randomRotation(images: tf.Tensor, degrees: number | [number, number], opts: RandomGeometryOptions = {}): tf.Tensor4D {
  const [lo, hi] = parseRange('randomRotation', 'degrees', degrees);
  // affine() angles are clockwise: negate the counter-clockwise range
  return randomAffineAs('randomRotation', images, { ...opts, degrees: [-hi, -lo] });
}
