import type * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkPair } from '../validate/values.js';
import { checkImages } from './affine.js';
import { cropResize, type CropBox } from './resized-crop.js';
import { parseRange, uniformIn } from './_internal/random.js';

/** Options for {@link randomResizedCrop}. @category Augmentation */
export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image's (default `[0.08, 1]`). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio w/h, sampled log-uniformly (default `[3/4, 4/3]`). */
  ratio?: [number, number];
  /** The generator for the boxes (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** torchvision's `RandomResizedCrop.get_params`: 10 tries, then a central crop. */
function sampleBox(g: Generator, h: number, w: number, scale: [number, number], ratio: [number, number]): CropBox {
  const area = h * w;
  const [lr0, lr1] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let k = 0; k < 10; k++) {
    const target = area * uniformIn(g, scale[0], scale[1]);
    const aspect = Math.exp(uniformIn(g, lr0, lr1));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
      return { top: g.randint(0, h - ch + 1), left: g.randint(0, w - cw + 1), height: ch, width: cw };
    }
  }
  const inRatio = w / h;
  let cw = w;
  let ch = h;
  if (inRatio < Math.min(...ratio)) ch = Math.round(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) cw = Math.round(h * Math.max(...ratio));
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}

/**
 * Random crop and scale, as torchvision's `RandomResizedCrop`: for each image
 * a box with a random area fraction (`scale`) and aspect ratio (`ratio`) is
 * cropped and resized to `size` (bilinear, no antialiasing; see
 * {@link resizedCrop}). Boxes are drawn per image from the seeded generator.
 *
 * @param images `[N, H, W, C]` float32.
 * @param size output `[Ho, Wo]`, or `S` for `[S, S]`.
 * @returns `[N, Ho, Wo, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomResizedCrop } from '@fovea/core';
 * const out = randomResizedCrop(tf.zeros([8, 64, 64, 3]), 32, { scale: [0.5, 1] }); // `[8, 32, 32, 3]`
 * ```
 * @category Augmentation
 */
export function randomResizedCrop(images: tf.Tensor, size: number | [number, number], opts: RandomResizedCropOptions = {}): tf.Tensor4D {
  const op = 'randomResizedCrop';
  checkImages(op, images);
  const [oh, ow] = checkPair(op, 'size', size, { integer: true, min: 1 });
  const scale = parseRange(op, 'opts.scale', opts.scale ?? [0.08, 1], { min: 0 });
  const ratio = parseRange(op, 'opts.ratio', opts.ratio ?? [3 / 4, 4 / 3], { min: 1e-6 });
  const [n, h, w] = images.shape;
  const g = opts.generator ?? defaultGenerator();
  const boxes = Array.from({ length: n }, () => sampleBox(g, h, w, scale, ratio));
  return cropResize(images, boxes.length ? boxes : [{ top: 0, left: 0, height: h, width: w }], oh, ow);
}
