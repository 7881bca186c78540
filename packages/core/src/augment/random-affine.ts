import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkOneOf, checkPair, describeValue } from '../validate/values.js';
import { checkFill, checkImages, inverseAffineMatrix, warpAffine, type AffineParams } from './affine.js';
import type { SampleMode } from './_internal/sample.js';
import { parseRange, uniformIn } from './_internal/random.js';

/** Options shared by the random geometric augmentations. @category Augmentation */
export interface RandomGeometryOptions {
  /** `'bilinear'` (default; torchvision's transforms default to nearest) or `'nearest'`. */
  interpolation?: SampleMode;
  /** Value(s) for pixels from outside the image: a number or one per channel (default 0). */
  fill?: number | number[];
  /** The generator for the per-image parameters (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** Options for {@link randomAffine}. @category Augmentation */
export interface RandomAffineOptions extends RandomGeometryOptions {
  /** Rotation range in degrees: `d` for `[-d, d]`, or `[lo, hi]` (default 0). */
  degrees?: number | [number, number];
  /** Maximum translation as fractions `[fx, fy]` of width and height; shifts are whole pixels (default none). */
  translate?: [number, number];
  /** Scale range `[lo, hi]` (default none: 1). */
  scale?: [number, number];
  /** Stretch: independent x and y scale ranges `[lo, hi]` (anisotropic; default none). */
  stretch?: [number, number];
  /** Shear range in degrees: `s` for x-shear in `[-s, s]`, `[lo, hi]` for x, or `[xlo, xhi, ylo, yhi]` (default none). */
  shear?: number | [number, number] | [number, number, number, number];
}

/** @internal Draws one image's affine parameters, in torchvision's `RandomAffine.get_params` order. */
export function sampleAffine(
  g: Generator,
  h: number,
  w: number,
  r: { degrees: [number, number]; translate?: [number, number]; scale?: [number, number]; stretch?: [number, number]; shear?: number[] },
): AffineParams {
  const angle = uniformIn(g, r.degrees[0], r.degrees[1]);
  let translate: [number, number] = [0, 0];
  if (r.translate) {
    const [mx, my] = [r.translate[0] * w, r.translate[1] * h];
    translate = [Math.round(uniformIn(g, -mx, mx)), Math.round(uniformIn(g, -my, my))];
  }
  let scale: number | [number, number] = r.scale ? uniformIn(g, r.scale[0], r.scale[1]) : 1;
  if (r.stretch) {
    const s = scale as number;
    scale = [s * uniformIn(g, r.stretch[0], r.stretch[1]), s * uniformIn(g, r.stretch[0], r.stretch[1])];
  }
  let shear: [number, number] = [0, 0];
  if (r.shear) {
    shear = [uniformIn(g, r.shear[0]!, r.shear[1]!), r.shear.length === 4 ? uniformIn(g, r.shear[2]!, r.shear[3]!) : 0];
  }
  return { angle, translate, scale, shear };
}

/**
 * Random affine augmentation — rotation, translation, scale, stretch and
 * shear about the image centre — as torchvision's `RandomAffine`, with
 * independent parameters per image from the seeded generator, applied in one
 * batched warp ({@link affine}).
 *
 * @param images `[N, H, W, C]` float32.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomAffine, Generator } from '@fovea/core';
 * const digits = tf.zeros([64, 28, 28, 1]);
 * const aug = randomAffine(digits, { degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1], shear: 10, generator: new Generator(0) });
 * ```
 * @category Augmentation
 */
export function randomAffine(images: tf.Tensor, opts: RandomAffineOptions = {}): tf.Tensor4D {
  return randomAffineAs('randomAffine', images, opts);
}

/** @internal {@link randomAffine} under another op name (for the single-purpose wrappers' messages). */
export function randomAffineAs(op: string, images: tf.Tensor, opts: RandomAffineOptions): tf.Tensor4D {
  checkImages(op, images);
  const mode = checkOneOf(op, 'opts.interpolation', opts.interpolation ?? 'bilinear', ['bilinear', 'nearest'] as const);
  checkFill(op, opts.fill, images.shape[3]);
  const degrees = parseRange(op, 'opts.degrees', opts.degrees ?? 0);
  const translate = opts.translate === undefined ? undefined : checkPair(op, 'opts.translate', opts.translate, { min: 0, max: 1 });
  const scale = opts.scale === undefined ? undefined : parseRange(op, 'opts.scale', opts.scale, { min: Number.MIN_VALUE });
  const stretch = opts.stretch === undefined ? undefined : parseRange(op, 'opts.stretch', opts.stretch, { min: Number.MIN_VALUE });
  if (scale && scale[0] <= 0) throw new FoveaError({ op, arg: 'opts.scale', expected: 'a range of positive scales', got: describeValue(opts.scale) });
  let shear: number[] | undefined;
  if (opts.shear !== undefined) {
    if (Array.isArray(opts.shear) && opts.shear.length === 4) {
      shear = [...parseRange(op, 'opts.shear', opts.shear.slice(0, 2), { min: -89, max: 89 }), ...parseRange(op, 'opts.shear', opts.shear.slice(2), { min: -89, max: 89 })];
    } else {
      shear = parseRange(op, 'opts.shear', opts.shear, { min: -89, max: 89 });
    }
  }
  const [n, h, w] = images.shape;
  const g = opts.generator ?? defaultGenerator();
  const params = Array.from({ length: n }, () => sampleAffine(g, h, w, { degrees, translate, scale, stretch, shear }));
  return warpAffine(images, n === 0 ? [[1, 0, 0, 0, 1, 0]] : params.map(inverseAffineMatrix), mode, opts.fill ?? 0);
}
