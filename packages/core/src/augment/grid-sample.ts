import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '../validate/values.js';
import { checkTensor } from '../validate/shape.js';
import { sampleAt, type PaddingMode, type SampleMode } from './_internal/sample.js';

/** Options for {@link gridSample}. @category Augmentation */
export interface GridSampleOptions {
  /** `'bilinear'` (default) or `'nearest'` (round half to even, as PyTorch). */
  mode?: SampleMode;
  /** `'zeros'` (default), `'border'` (clamp to the edge pixels) or `'reflection'`. */
  paddingMode?: PaddingMode;
  /** Whether −1 and 1 are the centres of the corner pixels (`true`) or their outer edges (`false`, default). */
  alignCorners?: boolean;
}

/**
 * Samples an NHWC image batch at normalised grid positions: PyTorch's
 * `F.grid_sample` for 4-D input, in NHWC. `grid[n, i, j] = [x, y]` in `[-1, 1]`
 * (x along W, y along H) says where output pixel `(i, j)` of image `n` reads.
 * Implemented with `tf.gather` on every backend; it is the sampler behind all
 * of Fovea's geometric augmentations.
 *
 * @param input `[N, H, W, C]` float32 images.
 * @param grid `[N, Ho, Wo, 2]` sampling positions `[x, y]`, normalised to `[-1, 1]`.
 * @returns `[N, Ho, Wo, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gridSample } from '@fovea/core';
 * const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * // the identity grid for a 2×2 image (align_corners = false): pixel centres at ±0.5
 * const grid = tf.tensor4d([-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5], [1, 2, 2, 2]);
 * gridSample(img, grid); // [[1, 2], [3, 4]]
 * ```
 * @category Augmentation
 */
export function gridSample(input: tf.Tensor, grid: tf.Tensor, opts: GridSampleOptions = {}): tf.Tensor4D {
  const op = 'gridSample';
  const dims = {};
  checkTensor(op, 'input', input, { shape: ['N', 'H', 'W', 'C'], dtype: 'float32' }, dims);
  checkTensor(op, 'grid', grid, { shape: ['N', null, null, 2], dtype: 'float32' }, dims);
  const mode = checkOneOf(op, 'opts.mode', opts.mode ?? 'bilinear', ['bilinear', 'nearest'] as const);
  const padding = checkOneOf(op, 'opts.paddingMode', opts.paddingMode ?? 'zeros', ['zeros', 'border', 'reflection'] as const);
  const align = opts.alignCorners ?? false;
  const [, h, w] = input.shape as [number, number, number, number];
  return tf.tidy(() => {
    const [gx, gy] = tf.unstack(grid, 3) as [tf.Tensor3D, tf.Tensor3D]; // [N, Ho, Wo] each
    const unnormalize = (g: tf.Tensor, size: number) =>
      align ? tf.mul(tf.add(g, 1), (size - 1) / 2) : tf.div(tf.sub(tf.mul(tf.add(g, 1), size), 1), 2);
    if (padding === 'reflection' && align) {
      // with align_corners the reflection is about the corner pixel centres: reflect in normalised space first
      const refl = (g: tf.Tensor) => {
        const m = tf.mod(tf.abs(tf.add(g, 1)), 4);
        return tf.sub(tf.where(tf.greater(m, 2), tf.sub(4, m), m), 1);
      };
      return sampleAt(input as tf.Tensor4D, unnormalize(refl(gx), w), unnormalize(refl(gy), h), mode, 'border');
    }
    return sampleAt(input as tf.Tensor4D, unnormalize(gx, w), unnormalize(gy, h), mode, padding);
  });
}
