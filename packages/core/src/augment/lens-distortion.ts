import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber, checkOneOf } from '../validate/values.js';
import { checkFill, checkImages } from './affine.js';
import { sampleWithFill, type SampleMode } from './_internal/sample.js';
import { parseRange, uniformIn } from './_internal/random.js';

/** Options for {@link lensDistortion}. @category Augmentation */
export interface LensDistortionOptions {
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: SampleMode;
  /** Value(s) for pixels from outside the image: a number or one per channel (default 0). */
  fill?: number | number[];
}

/** Options for {@link randomLensDistortion}. @category Augmentation */
export interface RandomLensDistortionOptions extends LensDistortionOptions {
  /** Range of the coefficient `k`: `s` for `[-s, s]` (both barrel and pincushion) or `[lo, hi]` (default 0.2). */
  strength?: number | [number, number];
  /** The generator for the per-image coefficients (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** @internal Radial warp of each image with its own coefficient. */
function radialWarp(images: tf.Tensor4D, ks: Float32Array, mode: SampleMode, fill: number | number[]): tf.Tensor4D {
  const [n, h, w] = images.shape;
  return tf.tidy(() => {
    const r = Math.max(h, w) / 2; // radius 1 at the middle of the longer sides
    const u = tf.reshape(tf.div(tf.add(tf.range(0, w, 1, 'float32'), 0.5 - w / 2), r), [1, 1, w]); // [1, 1, W]
    const v = tf.reshape(tf.div(tf.add(tf.range(0, h, 1, 'float32'), 0.5 - h / 2), r), [1, h, 1]); // [1, H, 1]
    const r2 = tf.add(tf.square(u), tf.square(v)); // [1, H, W]
    const factor = tf.add(1, tf.mul(tf.tensor3d(ks, [n, 1, 1]), r2)); // [N, H, W]
    const x = tf.add(tf.mul(tf.mul(u, factor), r), w / 2 - 0.5); // [N, H, W] source x in pixels
    const y = tf.add(tf.mul(tf.mul(v, factor), r), h / 2 - 0.5); // [N, H, W]
    return sampleWithFill(images, x, y, mode, fill);
  });
}

/**
 * Radial lens distortion about the image centre: output pixel at normalised
 * radius `ρ` (1 at the middle of the longer side) shows the input at
 * `ρ·(1 + k·ρ²)`. `k > 0` gives barrel distortion (straight lines bow
 * outwards, the picture shrinks towards the corners), `k < 0` pincushion, `k = 0`
 * the identity. One coefficient for all images or one per image.
 *
 * @param images `[N, H, W, C]` float32.
 * @param k distortion coefficient(s): a number or `N` numbers.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { lensDistortion } from '@fovea/core';
 * const barrel = lensDistortion(tf.ones([1, 28, 28, 1]), 0.3); // corners now read outside: 0
 * ```
 * @category Augmentation
 */
export function lensDistortion(images: tf.Tensor, k: number | readonly number[], opts: LensDistortionOptions = {}): tf.Tensor4D {
  const op = 'lensDistortion';
  checkImages(op, images);
  const mode = checkOneOf(op, 'opts.interpolation', opts.interpolation ?? 'bilinear', ['bilinear', 'nearest'] as const);
  checkFill(op, opts.fill, images.shape[3]);
  const n = images.shape[0];
  const list = typeof k === 'number' ? new Array<number>(n).fill(k) : [...k];
  if (typeof k !== 'number' && list.length !== n) throw new FoveaError({ op, arg: 'k', expected: `a number or N = ${n} numbers`, got: `${list.length} numbers` });
  list.forEach((v, i) => checkNumber(op, typeof k === 'number' ? 'k' : `k[${i}]`, v));
  return radialWarp(images, Float32Array.from(list), mode, opts.fill ?? 0);
}

/**
 * Random lens distortion: a coefficient drawn per image from `strength`
 * (barrel for `k > 0`, pincushion for `k < 0`), applied with
 * {@link lensDistortion}.
 *
 * @param images `[N, H, W, C]` float32.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomLensDistortion } from '@fovea/core';
 * const out = randomLensDistortion(tf.zeros([16, 28, 28, 1]), { strength: 0.2 });
 * ```
 * @category Augmentation
 */
export function randomLensDistortion(images: tf.Tensor, opts: RandomLensDistortionOptions = {}): tf.Tensor4D {
  const op = 'randomLensDistortion';
  checkImages(op, images);
  const mode = checkOneOf(op, 'opts.interpolation', opts.interpolation ?? 'bilinear', ['bilinear', 'nearest'] as const);
  checkFill(op, opts.fill, images.shape[3]);
  const [lo, hi] = parseRange(op, 'opts.strength', opts.strength ?? 0.2);
  const g = opts.generator ?? defaultGenerator();
  const ks = Float32Array.from({ length: images.shape[0] }, () => uniformIn(g, lo, hi));
  return radialWarp(images, ks, mode, opts.fill ?? 0);
}
