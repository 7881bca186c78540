import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '@fovea/core';
import { selectiveSearch, type SelectiveSearchOptions } from '../proposals/selective-search.js';
import { slidingWindows, type SlidingWindowOptions } from '../proposals/sliding-window.js';

/**
 * Where a detector's region proposals come from: `[N, H, W, C]` images in,
 * one `[R_i, 4]` tensor of `[x1, y1, x2, y2]` boxes per image out (the
 * caller disposes them).
 *
 * @example
 * ```ts
 * import type { Proposer } from '@fovea/detection';
 * const everything: Proposer = async (images) => [tf.tensor2d([[0, 0, images.shape[2], images.shape[1]]])];
 * ```
 * @category Detectors
 */
export type Proposer = (images: tf.Tensor4D) => Promise<tf.Tensor2D[]>;

/**
 * A {@link Proposer} running {@link selectiveSearch} on each image (R-CNN's
 * and Fast R-CNN's proposals): class-agnostic boxes from a hierarchical
 * grouping of a Felzenszwalb over-segmentation.
 *
 * @param opts selective search's options; `maxValue` defaults to 1 here (images in [0, 1]).
 * @returns the proposer.
 * @example
 * ```ts
 * import { selectiveSearchProposer } from '@fovea/detection';
 * const propose = selectiveSearchProposer({ topK: 200 });
 * const [boxes] = await propose(images); // [R, 4], about 40 boxes for a 64 px shapes scene
 * ```
 * @category Detectors
 */
export function selectiveSearchProposer(opts: SelectiveSearchOptions = {}): Proposer {
  const o = { maxValue: 1, ...opts };
  return async (images) => {
    checkTensor('selectiveSearchProposer', 'images', images, { rank: 4 });
    const out: tf.Tensor2D[] = [];
    for (let i = 0; i < images.shape[0]; i++) {
      const img = tf.tidy(() => tf.reshape(tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]), images.shape.slice(1))); // [H, W, C]
      try {
        out.push(await selectiveSearch(img, o));
      } finally {
        img.dispose();
      }
    }
    return out;
  };
}

/**
 * A {@link Proposer} returning the same {@link slidingWindows} for every
 * image: the brute-force search of the sliding-window detector.
 *
 * @param opts window sizes and stride fraction.
 * @returns the proposer.
 * @example
 * ```ts
 * import { slidingWindowProposer } from '@fovea/detection';
 * const propose = slidingWindowProposer({ windowSizes: [[16, 16], [24, 24]], strideFraction: 0.25 });
 * const [boxes] = await propose(tf.zeros([1, 64, 64, 3])); // [R, 4]
 * ```
 * @category Detectors
 */
export function slidingWindowProposer(opts: SlidingWindowOptions): Proposer {
  slidingWindows([64, 64], opts).dispose(); // validate now
  return async (images) => {
    checkTensor('slidingWindowProposer', 'images', images, { rank: 4 });
    const [n, h, w] = images.shape;
    const boxes = slidingWindows([h, w], opts);
    const out = Array.from({ length: n }, () => tf.clone(boxes));
    boxes.dispose();
    return out;
  };
}
