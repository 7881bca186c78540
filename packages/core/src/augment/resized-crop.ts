import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkPair, checkNumber, describeValue } from '../validate/values.js';
import { checkImages } from './affine.js';
import { sampleAt } from './_internal/sample.js';

/** A crop box in pixels: top row, left column, height, width. @category Augmentation */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** @internal Bilinear crop-and-resize of each image's box to `[oh, ow]`, torchvision's `F.resized_crop` (no antialiasing). */
export function cropResize(images: tf.Tensor4D, boxes: readonly CropBox[], oh: number, ow: number): tf.Tensor4D {
  const n = images.shape[0];
  return tf.tidy(() => {
    const col = (f: (b: CropBox) => number) => tf.tensor3d(Float32Array.from({ length: n }, (_, i) => f(boxes[boxes.length === 1 ? 0 : i]!)), [n, 1, 1]);
    const jj = tf.reshape(tf.add(tf.range(0, ow, 1, 'float32'), 0.5), [1, 1, ow]); // [1, 1, Wo] output pixel centres
    const ii = tf.reshape(tf.add(tf.range(0, oh, 1, 'float32'), 0.5), [1, oh, 1]); // [1, Ho, 1]
    // source = box origin + (dst + 0.5)·(box size / out size) − 0.5, clamped to the box (PyTorch's bilinear resize)
    const x = tf.add(col((b) => b.left - 0.5), tf.mul(jj, col((b) => b.width / ow))); // [N, 1, Wo]
    const y = tf.add(col((b) => b.top - 0.5), tf.mul(ii, col((b) => b.height / oh))); // [N, Ho, 1]
    const bounds = {
      x0: Float32Array.from({ length: n }, (_, i) => boxes[boxes.length === 1 ? 0 : i]!.left),
      x1: Float32Array.from({ length: n }, (_, i) => boxes[boxes.length === 1 ? 0 : i]!.left + boxes[boxes.length === 1 ? 0 : i]!.width - 1),
      y0: Float32Array.from({ length: n }, (_, i) => boxes[boxes.length === 1 ? 0 : i]!.top),
      y1: Float32Array.from({ length: n }, (_, i) => boxes[boxes.length === 1 ? 0 : i]!.top + boxes[boxes.length === 1 ? 0 : i]!.height - 1),
    };
    return sampleAt(images, tf.broadcastTo(x, [n, oh, ow]), tf.broadcastTo(y, [n, oh, ow]), 'bilinear', 'border', bounds);
  });
}

/**
 * Crops a box out of each image and resizes it to `size` with bilinear
 * interpolation: torchvision's `F.resized_crop(..., antialias=False)`, batched
 * (one box for all images or one per image).
 *
 * @param images `[N, H, W, C]` float32.
 * @param box one {@link CropBox} inside the image, or `N` of them.
 * @param size output `[Ho, Wo]`, or `S` for `[S, S]`.
 * @returns `[N, Ho, Wo, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { resizedCrop } from '@fovea/core';
 * const img = tf.zeros([4, 32, 32, 3]);
 * const out = resizedCrop(img, { top: 4, left: 4, height: 16, width: 16 }, 32); // `[4, 32, 32, 3]`
 * ```
 * @category Augmentation
 */
export function resizedCrop(images: tf.Tensor, box: CropBox | readonly CropBox[], size: number | [number, number]): tf.Tensor4D {
  const op = 'resizedCrop';
  checkImages(op, images);
  const [oh, ow] = checkPair(op, 'size', size, { integer: true, min: 1 });
  const [n, h, w] = images.shape;
  const boxes = Array.isArray(box) ? (box as readonly CropBox[]) : [box as CropBox];
  if (Array.isArray(box) && boxes.length !== n) {
    throw new FoveaError({ op, arg: 'box', expected: `one box or N = ${n} boxes`, got: `${boxes.length}` });
  }
  boxes.forEach((b, i) => {
    const at = Array.isArray(box) ? `box[${i}]` : 'box';
    if (b === null || typeof b !== 'object') throw new FoveaError({ op, arg: at, expected: 'a {top, left, height, width} box', got: describeValue(b) });
    checkNumber(op, `${at}.height`, b.height, { integer: true, min: 1 });
    checkNumber(op, `${at}.width`, b.width, { integer: true, min: 1 });
    checkNumber(op, `${at}.top`, b.top, { integer: true, min: 0, max: h - b.height });
    checkNumber(op, `${at}.left`, b.left, { integer: true, min: 0, max: w - b.width });
  });
  return cropResize(images, boxes, oh, ow);
}
