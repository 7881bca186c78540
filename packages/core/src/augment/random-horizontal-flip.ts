import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkTensor } from '../validate/shape.js';
import { checkProbability } from './_internal/random.js';

/** Options for {@link randomHorizontalFlip}. @category Augmentation */
export interface RandomFlipOptions {
  /** Probability that an image is flipped (default 0.5). */
  p?: number;
  /** The generator for the coin flips (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/**
 * Mirrors each image left–right with probability `p` (torchvision's
 * `RandomHorizontalFlip`), deciding per image from the seeded generator.
 *
 * @param images `[N, H, W, C]`, any dtype.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomHorizontalFlip } from '@fovea/core';
 * const img = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
 * randomHorizontalFlip(img, { p: 1 }); // [[[3], [2], [1]]]
 * ```
 * @category Augmentation
 */
export function randomHorizontalFlip(images: tf.Tensor, opts: RandomFlipOptions = {}): tf.Tensor4D {
  const op = 'randomHorizontalFlip';
  checkTensor(op, 'images', images, { rank: 4 });
  const p = checkProbability(op, 'opts.p', opts.p ?? 0.5);
  const g = opts.generator ?? defaultGenerator();
  const n = images.shape[0];
  const flip = Array.from({ length: n }, () => g.random() < p);
  return tf.tidy(() => {
    if (!flip.some(Boolean)) return tf.clone(images);
    const flipped = tf.reverse(images, 2);
    if (flip.every(Boolean)) return flipped;
    const mask = tf.tensor4d(flip.map((f) => (f ? 1 : 0)), [n, 1, 1, 1], 'bool');
    return tf.where(tf.broadcastTo(mask, images.shape), flipped, images);
  }) as tf.Tensor4D;
}
