import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber } from '../validate/values.js';
import { checkImages } from './affine.js';
import { softLabels } from './_internal/labels.js';
import { beta } from './_internal/random.js';

/** Options for {@link mixup}. @category Augmentation */
export interface MixupOptions {
  /** Beta(α, α) concentration of the mixing weight λ (default 1: uniform; the paper uses 0.2–0.4 on ImageNet). */
  alpha?: number;
  /** Number of classes K, required when `labels` are int32 class indices. */
  numClasses?: number;
  /** The generator for λ and the pairing (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** What {@link mixup} and {@link cutmix} return. @category Augmentation */
export interface MixedBatch {
  /** `[N, H, W, C]` mixed images, owned by the caller. */
  images: tf.Tensor4D;
  /** `[N, K]` float32 mixed label rows `λ·y + (1 − λ)·y[index]`; each row sums to 1 for one-hot input. Owned by the caller. */
  labels: tf.Tensor2D;
  /** Weight of each image's own content, in `[0, 1]` (for cutmix: the kept area fraction). */
  lambda: number;
  /** `[N]` the partner of each image (a random permutation of the batch). */
  index: Int32Array;
}

/**
 * Mixup (Zhang et al., 2018): each image is blended with a partner from the
 * same batch (a seeded random permutation), `λ·x + (1 − λ)·x[index]`, and so
 * are the labels, with one `λ ~ Beta(α, α)` for the batch — the weights of
 * the two labels in every row sum to 1.
 *
 * @param images `[N, H, W, C]` float32.
 * @param labels `[N]` int32 class indices (with `numClasses`) or `[N, K]` float32 label rows.
 * @returns the mixed batch, λ and the partner indices.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mixup, Generator } from '@fovea/core';
 * const x = tf.rand([8, 28, 28, 1]);
 * const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
 * const { images, labels, lambda } = mixup(x, y, { numClasses: 10, alpha: 0.4, generator: new Generator(0) });
 * // labels: `[8, 10]`, two non-zero entries per row: lambda and 1 − lambda
 * ```
 * @category Augmentation
 */
export function mixup(images: tf.Tensor, labels: tf.Tensor, opts: MixupOptions = {}): MixedBatch {
  const op = 'mixup';
  checkImages(op, images);
  const alpha = checkNumber(op, 'opts.alpha', opts.alpha ?? 1, { gt: 0 });
  const n = images.shape[0];
  const soft = softLabels(op, labels, n, opts.numClasses);
  const g = opts.generator ?? defaultGenerator();
  const lambda = beta(g, alpha, alpha);
  const index = g.permutation(n);
  const [mixedImages, mixedLabels] = tf.tidy(() => {
    const idx = tf.tensor1d(index, 'int32');
    const mix = <T extends tf.Tensor>(t: T) => tf.add(tf.mul(t, lambda), tf.mul(tf.gather(t, idx), 1 - lambda)) as T;
    return [mix(images), mix(soft)];
  });
  soft.dispose();
  return { images: mixedImages as tf.Tensor4D, labels: mixedLabels as tf.Tensor2D, lambda, index };
}
