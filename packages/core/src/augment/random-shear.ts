import type * as tf from '@tensorflow/tfjs-core';
import { randomAffineAs, type RandomGeometryOptions } from './random-affine.js';

/**
 * Random shear about the image centre (torchvision's `RandomAffine(0,
 * shear=...)`): `s` shears parallel to the x axis by an angle in `[-s, s]`
 * degrees, `[lo, hi]` likewise, `[xlo, xhi, ylo, yhi]` shears along both axes.
 * See {@link randomAffine}.
 *
 * @param images `[N, H, W, C]` float32.
 * @param shear degrees: `s`, `[lo, hi]` or `[xlo, xhi, ylo, yhi]`, each within ±89.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomShear } from '@fovea/core';
 * const out = randomShear(tf.zeros([16, 28, 28, 1]), 15); // slanted by up to ±15°
 * ```
 * @category Augmentation
 */
export function randomShear(images: tf.Tensor, shear: number | [number, number] | [number, number, number, number], opts: RandomGeometryOptions = {}): tf.Tensor4D {
  return randomAffineAs('randomShear', images, { ...opts, shear });
}
