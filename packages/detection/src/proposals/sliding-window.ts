import * as tf from '@tensorflow/tfjs-core';
import { checkPair, checkTensor, FoveaError } from '@fovea/core';
import { roiAlign } from '../roi/roi-align.js';

/** Options for {@link slidingWindows} and {@link slidingWindowCrops}. @category Region proposals */
export interface SlidingWindowOptions {
  /** Window sizes `[h, w]` in pixels (several sizes and aspect ratios give a multi-scale search). */
  windowSizes: [number, number][];
  /** Step between windows as a fraction of the window size (per axis); default 0.5 (half-overlapping windows). */
  strideFraction?: number;
}

function checkWindows(op: string, opts: SlidingWindowOptions): { sizes: [number, number][]; frac: number } {
  if (!opts || !Array.isArray(opts.windowSizes) || opts.windowSizes.length === 0) {
    throw new FoveaError({ op, arg: 'options.windowSizes', expected: 'a non-empty list of [h, w] sizes', got: String(opts?.windowSizes) });
  }
  const sizes = opts.windowSizes.map((s, i) => checkPair(op, `options.windowSizes[${i}]`, s, { integer: true, min: 1 }));
  const frac = opts.strideFraction ?? 0.5;
  if (!(typeof frac === 'number' && frac > 0 && frac <= 1)) {
    throw new FoveaError({ op, arg: 'options.strideFraction', expected: 'a number in (0, 1]', got: String(frac) });
  }
  return { sizes, frac };
}

/** Window origins along one axis: every `step` pixels, plus one flush with the far edge. */
function origins(size: number, win: number, step: number): number[] {
  if (win > size) return [];
  const out: number[] = [];
  for (let o = 0; o + win <= size; o += step) out.push(o);
  if (out[out.length - 1]! + win < size) out.push(size - win);
  return out;
}

/**
 * The boxes of a sliding-window search, the pre-CNN detection recipe (and
 * OverFeat's): for each window size, windows every `strideFraction` of a
 * window across and down the image (plus a last one flush with the right /
 * bottom edge), fully inside the image. Order: window size, then row-major.
 *
 * @param imageSize `[H, W]`.
 * @param opts window sizes and stride.
 * @returns `[N, 4]` float32 boxes as `[x1, y1, x2, y2]` (pixel edges).
 * @example
 * ```ts
 * import { slidingWindows } from '@fovea/detection';
 * slidingWindows([4, 6], { windowSizes: [[4, 4]] }).print(); // [[0, 0, 4, 4], [2, 0, 6, 4]]
 * ```
 * @category Region proposals
 */
export function slidingWindows(imageSize: readonly [number, number], opts: SlidingWindowOptions): tf.Tensor2D {
  const op = 'slidingWindows';
  const [H, W] = checkPair(op, 'imageSize', imageSize, { integer: true, min: 1 });
  const { sizes, frac } = checkWindows(op, opts);
  const out: number[] = [];
  for (const [wh, ww] of sizes) {
    const ys = origins(H, wh, Math.max(1, Math.round(wh * frac)));
    const xs = origins(W, ww, Math.max(1, Math.round(ww * frac)));
    for (const y of ys) for (const x of xs) out.push(x, y, x + ww, y + wh);
  }
  return tf.tensor2d(out, [out.length / 4, 4], 'float32');
}

/** What {@link slidingWindowCrops} returns (the caller owns both). @category Region proposals */
export interface SlidingWindowCrops {
  /** `[N, h, w, C]` crops, each resampled to `cropSize`. */
  crops: tf.Tensor4D;
  /** `[N, 4]` the windows as `[x1, y1, x2, y2]`. */
  boxes: tf.Tensor2D;
}

/**
 * Cuts the sliding windows of {@link slidingWindows} out of an image and
 * resizes each to `cropSize`, ready for a classifier: the brute-force
 * detector a CNN replaces. Resampling is {@link roiAlign} (aligned,
 * adaptive sampling): exact when a window is the crop size, an average of
 * bilinear samples when it is larger. Differentiable with respect to the image.
 *
 * @param image `[H, W, C]` image.
 * @param opts window sizes, stride, and `cropSize` `[h, w]`.
 * @returns the crops and their boxes.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { slidingWindowCrops } from '@fovea/detection';
 * const { crops, boxes } = slidingWindowCrops(tf.zeros([64, 64, 3]), { windowSizes: [[32, 32]], cropSize: [16, 16] });
 * crops.shape; // [9, 16, 16, 3]
 * ```
 * @category Region proposals
 */
export function slidingWindowCrops(image: tf.Tensor, opts: SlidingWindowOptions & { cropSize: [number, number] }): SlidingWindowCrops {
  const op = 'slidingWindowCrops';
  checkTensor(op, 'image', image, { rank: 3 });
  const [H, W] = image.shape as [number, number, number];
  const cropSize = checkPair(op, 'options.cropSize', opts.cropSize, { integer: true, min: 1 });
  const boxes = slidingWindows([H, W], opts);
  const crops = tf.tidy(() => {
    const n = boxes.shape[0]!;
    const rois = tf.concat([tf.zeros([n, 1]), boxes], 1); // [N, 5]
    const img = tf.expandDims(tf.cast(image, 'float32'), 0); // [1, H, W, C]
    // RoIAlign with half-pixel alignment: a window the size of the crop is copied exactly,
    // a larger one is averaged over ceil(scale)² bilinear samples per output pixel
    return roiAlign(img, rois, { outputSize: cropSize, samplingRatio: -1, aligned: true });
  });
  return { crops, boxes };
}
