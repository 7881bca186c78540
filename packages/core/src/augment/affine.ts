import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber, checkOneOf } from '../validate/values.js';
import { sampleWithFill, type SampleMode } from './_internal/sample.js';

/** One affine transformation, in torchvision's `F.affine` terms (about the image centre). @category Augmentation */
export interface AffineParams {
  /** Rotation in degrees, **clockwise** as torchvision's `F.affine` (default 0; {@link rotate} takes counter-clockwise angles). */
  angle?: number;
  /** Translation `[tx, ty]` in pixels, applied after rotation and scaling (default `[0, 0]`). */
  translate?: [number, number];
  /** Scale, or `[sx, sy]` for an anisotropic stretch (default 1). */
  scale?: number | [number, number];
  /** Shear in degrees, `sx` or `[sx, sy]` (parallel to the x and y axes; default 0). */
  shear?: number | [number, number];
}

/** Options for {@link affine} and {@link rotate}. @category Augmentation */
export interface AffineOptions {
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: SampleMode;
  /**
   * Value(s) for pixels that come from outside the image: a number or one per
   * channel, blended in with a sampled mask as torchvision does when `fill` is
   * given. Default: none (outside reads as zero, torchvision's `fill=None`).
   */
  fill?: number | number[];
}

/**
 * The inverse 2×3 matrix `[a, b, c, d, e, f]` mapping an output pixel
 * (relative to the image centre) to its source: torchvision's
 * `_get_inverse_affine_matrix` (centre at the origin), extended to an
 * anisotropic scale `[sx, sy]`.
 *
 * @example
 * ```ts
 * import { inverseAffineMatrix } from '@fovea/core';
 * inverseAffineMatrix({ scale: 2 }); // [0.5, 0, 0, 0, 0.5, 0]
 * ```
 * @category Augmentation
 */
export function inverseAffineMatrix(p: AffineParams): number[] {
  const rad = Math.PI / 180;
  const rot = (p.angle ?? 0) * rad;
  const [shx, shy] = typeof p.shear === 'number' ? [p.shear, 0] : (p.shear ?? [0, 0]);
  const [sx, sy] = typeof p.scale === 'number' ? [p.scale, p.scale] : (p.scale ?? [1, 1]);
  const [tx, ty] = p.translate ?? [0, 0];
  const shearX = shx * rad;
  const shearY = shy * rad;
  // rotation·shear (determinant 1), as torchvision
  const a = Math.cos(rot - shearY) / Math.cos(shearY);
  const b = (-Math.cos(rot - shearY) * Math.tan(shearX)) / Math.cos(shearY) - Math.sin(rot);
  const c = Math.sin(rot - shearY) / Math.cos(shearY);
  const d = (-Math.sin(rot - shearY) * Math.tan(shearX)) / Math.cos(shearY) + Math.cos(rot);
  // inverse of (rotation·shear·diag(sx, sy)), then of the translation
  const m = [d / sx, -b / sx, 0, -c / sy, a / sy, 0];
  m[2] = m[0]! * -tx + m[1]! * -ty;
  m[5] = m[3]! * -tx + m[4]! * -ty;
  return m;
}

/**
 * Warps each image by its inverse matrix (pixel coordinates relative to the
 * image centre, torchvision's `_gen_affine_grid` convention). `matrices` holds
 * one `[6]` matrix per image, or one for all.
 *
 * @internal
 */
export function warpAffine(
  images: tf.Tensor4D,
  matrices: readonly (readonly number[])[],
  mode: SampleMode,
  fill: number | readonly number[] | undefined,
): tf.Tensor4D {
  const [n, h, w] = images.shape;
  return tf.tidy(() => {
    const col = (k: number) => tf.tensor3d(Float32Array.from({ length: n }, (_, i) => matrices[matrices.length === 1 ? 0 : i]![k]!), [n, 1, 1]);
    const xs = tf.reshape(tf.add(tf.range(0, w, 1, 'float32'), 0.5 - w / 2), [1, 1, w]); // [1, 1, W] output x about the centre
    const ys = tf.reshape(tf.add(tf.range(0, h, 1, 'float32'), 0.5 - h / 2), [1, h, 1]); // [1, H, 1]
    const x = tf.add(tf.add(tf.mul(col(0), xs), tf.mul(col(1), ys)), tf.add(col(2), w / 2 - 0.5)); // [N, H, W] source x
    const y = tf.add(tf.add(tf.mul(col(3), xs), tf.mul(col(4), ys)), tf.add(col(5), h / 2 - 0.5)); // [N, H, W] source y
    return sampleWithFill(images, x, y, mode, fill);
  });
}

/** @internal Validates the shared inputs of the geometric ops. */
export function checkImages(op: string, images: unknown): asserts images is tf.Tensor4D {
  checkTensor(op, 'images', images, { rank: 4, dtype: 'float32' });
}

/** @internal */
export function checkFill(op: string, fill: unknown, channels: number): void {
  if (fill === undefined || typeof fill === 'number') {
    if (typeof fill === 'number') checkNumber(op, 'opts.fill', fill);
    return;
  }
  if (!Array.isArray(fill) || fill.length !== channels) {
    throw new FoveaError({ op, arg: 'opts.fill', expected: `a number or ${channels} numbers (one per channel)`, got: Array.isArray(fill) ? `${fill.length} numbers` : typeof fill });
  }
  fill.forEach((v, i) => checkNumber(op, `opts.fill[${i}]`, v));
}

/**
 * Applies an affine transformation about the image centre to a batch of NHWC
 * images: torchvision's `F.affine` (for tensors), batched, with one set of
 * parameters for all images or one per image. Output pixels that come from
 * outside the image are zero, or `fill`.
 *
 * @param images `[N, H, W, C]` float32.
 * @param params one {@link AffineParams} or `N` of them.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { affine } from '@fovea/core';
 * const img = tf.zeros([1, 28, 28, 1]);
 * const moved = affine(img, { translate: [3, -2] }); // shifted 3 px right and 2 px up
 * ```
 * @category Augmentation
 */
export function affine(images: tf.Tensor, params: AffineParams | readonly AffineParams[], opts: AffineOptions = {}): tf.Tensor4D {
  const op = 'affine';
  checkImages(op, images);
  const mode = checkOneOf(op, 'opts.interpolation', opts.interpolation ?? 'bilinear', ['bilinear', 'nearest'] as const);
  checkFill(op, opts.fill, images.shape[3]);
  const list = Array.isArray(params) ? (params as readonly AffineParams[]) : [params as AffineParams];
  if (Array.isArray(params) && list.length !== images.shape[0]) {
    throw new FoveaError({ op, arg: 'params', expected: `one parameter set or N = ${images.shape[0]} of them`, got: `${list.length}` });
  }
  list.forEach((p, i) => {
    const at = Array.isArray(params) ? `params[${i}]` : 'params';
    if (p === null || typeof p !== 'object') throw new FoveaError({ op, arg: at, expected: 'an AffineParams object', got: String(p) });
    if (p.angle !== undefined) checkNumber(op, `${at}.angle`, p.angle);
    const scales = typeof p.scale === 'number' ? [p.scale] : (p.scale ?? []);
    scales.forEach((s) => checkNumber(op, `${at}.scale`, s, { gt: 0 }));
    const shears = typeof p.shear === 'number' ? [p.shear] : (p.shear ?? []);
    shears.forEach((s) => checkNumber(op, `${at}.shear`, s, { gt: -90, lt: 90 }));
    (p.translate ?? []).forEach((t) => checkNumber(op, `${at}.translate`, t));
  });
  return warpAffine(images, list.map(inverseAffineMatrix), mode, opts.fill);
}

/**
 * Rotates a batch of NHWC images about their centres by `angle` degrees
 * **counter-clockwise** (torchvision's `F.rotate` with `expand=False`), one
 * angle for all images or one per image.
 *
 * @param images `[N, H, W, C]` float32.
 * @param angle degrees, counter-clockwise; a number or `N` numbers.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { rotate } from '@fovea/core';
 * const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * rotate(img, 90); // [[2, 4], [1, 3]] (counter-clockwise)
 * ```
 * @category Augmentation
 */
export function rotate(images: tf.Tensor, angle: number | readonly number[], opts: AffineOptions = {}): tf.Tensor4D {
  const angles = typeof angle === 'number' ? [angle] : angle;
  if (!Array.isArray(angles) && typeof angle !== 'number') {
    throw new FoveaError({ op: 'rotate', arg: 'angle', expected: 'a number or one per image', got: typeof angle });
  }
  angles.forEach((a, i) => checkNumber('rotate', typeof angle === 'number' ? 'angle' : `angle[${i}]`, a));
  const params = angles.map((a) => ({ angle: -a }));
  return affine(images, typeof angle === 'number' ? params[0]! : params, opts);
}
