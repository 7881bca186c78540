import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';

/** @internal A factor for all images or one per image, as a scalar or `[N, 1, 1, 1]` tensor. */
function factorTensor(op: string, f: number | readonly number[], n: number, range: { min?: number; max?: number }): tf.Tensor {
  if (typeof f === 'number') return tf.scalar(checkNumber(op, 'factor', f, range));
  if (!Array.isArray(f) || f.length !== n) {
    throw new FoveaError({ op, arg: 'factor', expected: `a number or N = ${n} numbers`, got: Array.isArray(f) ? `${f.length} numbers` : typeof f });
  }
  f.forEach((v, i) => checkNumber(op, `factor[${i}]`, v, range));
  return tf.tensor4d(f as number[], [n, 1, 1, 1]);
}

function checkColorImages(op: string, images: unknown): asserts images is tf.Tensor4D {
  checkTensor(op, 'images', images, { rank: 4, dtype: 'float32' });
  const c = images.shape[3];
  if (c !== 1 && c !== 3) throw new FoveaError({ op, arg: 'images', expected: '1 or 3 channels (grey or RGB, NHWC)', got: `${c} channels` });
}

/** @internal Luma of `[N, H, W, 3]` RGB as `[N, H, W, 1]` (torchvision's `rgb_to_grayscale`). */
export function grayscale(images: tf.Tensor4D): tf.Tensor4D {
  if (images.shape[3] === 1) return images;
  return tf.sum(tf.mul(images, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true) as tf.Tensor4D;
}

/** `f·img + (1 − f)·other`, clamped to [0, 1] (torchvision's `_blend`). */
function blend(img: tf.Tensor, other: tf.Tensor | number, f: tf.Tensor): tf.Tensor4D {
  return tf.clipByValue(tf.add(tf.mul(f, img), tf.mul(tf.sub(1, f), other)), 0, 1) as tf.Tensor4D;
}

/**
 * Scales brightness: `clamp(f·img, 0, 1)` (torchvision's `adjust_brightness`).
 *
 * @param images `[N, H, W, C]` float32 in `[0, 1]`, C = 1 or 3.
 * @param factor `≥ 0` (1 keeps the image), one for all images or one per image.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustBrightness } from '@fovea/core';
 * adjustBrightness(tf.fill([1, 1, 1, 3], 0.4), 1.5); // 0.6 everywhere
 * ```
 * @category Augmentation
 */
export function adjustBrightness(images: tf.Tensor, factor: number | readonly number[]): tf.Tensor4D {
  checkColorImages('adjustBrightness', images);
  return tf.tidy(() => blend(images, 0, factorTensor('adjustBrightness', factor, images.shape[0], { min: 0 })));
}

/**
 * Scales contrast about each image's mean grey level:
 * `clamp(f·img + (1 − f)·mean(grey(img)), 0, 1)` (torchvision's `adjust_contrast`).
 *
 * @param images `[N, H, W, C]` float32 in `[0, 1]`, C = 1 or 3.
 * @param factor `≥ 0` (0 gives a flat grey image, 1 keeps it), one or one per image.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustContrast } from '@fovea/core';
 * adjustContrast(tf.tensor4d([0, 1], [1, 1, 2, 1]), 0.5); // [0.25, 0.75]
 * ```
 * @category Augmentation
 */
export function adjustContrast(images: tf.Tensor, factor: number | readonly number[]): tf.Tensor4D {
  checkColorImages('adjustContrast', images);
  return tf.tidy(() => {
    const mean = tf.mean(grayscale(images), [1, 2, 3], true); // [N, 1, 1, 1]
    return blend(images, mean, factorTensor('adjustContrast', factor, images.shape[0], { min: 0 }));
  });
}

/**
 * Scales saturation by blending with the grey image:
 * `clamp(f·img + (1 − f)·grey(img), 0, 1)` (torchvision's `adjust_saturation`;
 * grey images are returned unchanged).
 *
 * @param images `[N, H, W, C]` float32 in `[0, 1]`, C = 1 or 3.
 * @param factor `≥ 0` (0 gives grey, 1 keeps the image), one or one per image.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustSaturation } from '@fovea/core';
 * const grey = adjustSaturation(tf.ones([1, 4, 4, 3]), 0); // a grey version
 * ```
 * @category Augmentation
 */
export function adjustSaturation(images: tf.Tensor, factor: number | readonly number[]): tf.Tensor4D {
  checkColorImages('adjustSaturation', images);
  return tf.tidy(() => {
    const f = factorTensor('adjustSaturation', factor, images.shape[0], { min: 0 });
    return images.shape[3] === 1 ? tf.clone(images) : blend(images, grayscale(images), f);
  });
}

/** RGB `[N, H, W, 3]` → hue, saturation, value `[N, H, W]` each (torchvision's `_rgb2hsv`). */
function rgbToHsv(img: tf.Tensor4D): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [r, g, b] = tf.unstack(img, 3) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  const maxc = tf.max(img, 3);
  const minc = tf.min(img, 3);
  const eqc = tf.equal(maxc, minc);
  const cr = tf.sub(maxc, minc);
  const ones = tf.onesLike(maxc);
  const s = tf.div(cr, tf.where(eqc, ones, maxc));
  const crDiv = tf.where(eqc, ones, cr);
  const rc = tf.div(tf.sub(maxc, r), crDiv);
  const gc = tf.div(tf.sub(maxc, g), crDiv);
  const bc = tf.div(tf.sub(maxc, b), crDiv);
  const isR = tf.equal(maxc, r);
  const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
  const isB = tf.logicalAnd(tf.logicalNot(tf.equal(maxc, g)), tf.logicalNot(isR));
  const f32 = (t: tf.Tensor) => tf.cast(t, 'float32');
  const hr = tf.mul(f32(isR), tf.sub(bc, gc));
  const hg = tf.mul(f32(isG), tf.add(2, tf.sub(rc, bc)));
  const hb = tf.mul(f32(isB), tf.add(4, tf.sub(gc, rc)));
  const h = tf.mod(tf.add(tf.div(tf.addN([hr, hg, hb]), 6), 1), 1);
  return [h, s, maxc];
}

/** Hue, saturation, value `[N, H, W]` → RGB `[N, H, W, 3]` (torchvision's `_hsv2rgb`). */
function hsvToRgb(h: tf.Tensor, s: tf.Tensor, v: tf.Tensor): tf.Tensor4D {
  const h6 = tf.mul(h, 6);
  const i = tf.floor(h6);
  const f = tf.sub(h6, i);
  const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1);
  const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1);
  const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
  const sector = tf.oneHot(tf.cast(tf.mod(i, 6), 'int32'), 6); // [N, H, W, 6]
  const pick = (c: tf.Tensor[]) => tf.sum(tf.mul(sector, tf.stack(c, 3)), 3); // [N, H, W]
  return tf.stack([pick([v, q, p, p, t, v]), pick([t, v, v, q, p, p]), pick([p, p, t, v, v, q])], 3) as tf.Tensor4D;
}

/**
 * Shifts hue by `factor` turns of the colour wheel (torchvision's
 * `adjust_hue`: RGB → HSV, `h = (h + f) mod 1`, back to RGB; grey images are
 * returned unchanged).
 *
 * @param images `[N, H, W, C]` float32 in `[0, 1]`, C = 1 or 3.
 * @param factor in `[-0.5, 0.5]`, one for all images or one per image.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustHue } from '@fovea/core';
 * adjustHue(tf.tensor4d([1, 0, 0], [1, 1, 1, 3]), 1 / 3); // red → green [0, 1, 0]
 * ```
 * @category Augmentation
 */
export function adjustHue(images: tf.Tensor, factor: number | readonly number[]): tf.Tensor4D {
  checkColorImages('adjustHue', images);
  return tf.tidy(() => {
    const f = factorTensor('adjustHue', factor, images.shape[0], { min: -0.5, max: 0.5 });
    if (images.shape[3] === 1) return tf.clone(images) as tf.Tensor4D;
    const [h, s, v] = rgbToHsv(images);
    const shift = f.rank === 0 ? f : tf.reshape(f, [-1, 1, 1]); // [N, 1, 1]
    return hsvToRgb(tf.mod(tf.add(h, shift), 1), s, v);
  });
}
