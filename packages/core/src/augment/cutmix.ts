import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber } from '../validate/values.js';
import { checkImages } from './affine.js';
import { patchMask, type Patch } from './cutout.js';
import type { MixedBatch } from './mixup.js';
import { softLabels } from './_internal/labels.js';
import { beta } from './_internal/random.js';

/** Options for {@link cutmix}. @category Augmentation */
export interface CutmixOptions {
  /** Beta(α, α) concentration of λ, which sets the patch area `(1 − λ)·H·W` (default 1). */
  alpha?: number;
  /** Number of classes K, required when `labels` are int32 class indices. */
  numClasses?: number;
  /** The generator for λ, the patch and the pairing (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** What {@link cutmix} returns: a {@link MixedBatch} and the pasted patch. @category Augmentation */
export interface CutmixBatch extends MixedBatch {
  /** The patch `[y1, x1, y2, x2]` (end exclusive) pasted from each partner image. */
  patch: Patch;
}

/**
 * CutMix (Yun et al., 2019): a rectangle of each image is replaced by the
 * same rectangle of its partner (a seeded random permutation of the batch).
 * `λ ~ Beta(α, α)` sets the rectangle's area `(1 − λ)·H·W`, its centre is
 * uniform and it is clipped at the border; λ is then corrected to the area
 * actually kept, and labels are mixed as `λ·y + (1 − λ)·y[index]`, as in the
 * paper's reference code (one rectangle per batch).
 *
 * @param images `[N, H, W, C]` float32.
 * @param labels `[N]` int32 class indices (with `numClasses`) or `[N, K]` float32 label rows.
 * @returns the mixed batch, the kept-area λ, the partner indices and the patch.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutmix } from '@fovea/core';
 * const { images, labels, lambda, patch } = cutmix(tf.rand([8, 32, 32, 3]), tf.zeros([8], 'int32'), { numClasses: 10 });
 * ```
 * @category Augmentation
 */
export function cutmix(images: tf.Tensor, labels: tf.Tensor, opts: CutmixOptions = {}): CutmixBatch {
  const op = 'cutmix';
  checkImages(op, images);
  const alpha = checkNumber(op, 'opts.alpha', opts.alpha ?? 1, { gt: 0 });
  const [n, h, w] = images.shape;
  const soft = softLabels(op, labels, n, opts.numClasses);
  const g = opts.generator ?? defaultGenerator();
  const lam0 = beta(g, alpha, alpha);
  const index = g.permutation(n);
  const cut = Math.sqrt(1 - lam0);
  const [cw, ch] = [Math.floor(w * cut), Math.floor(h * cut)];
  const [cx, cy] = h > 0 && w > 0 ? [g.randint(0, w), g.randint(0, h)] : [0, 0];
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const patch: Patch = [clip(cy - Math.floor(ch / 2), h), clip(cx - Math.floor(cw / 2), w), clip(cy + Math.floor(ch / 2), h), clip(cx + Math.floor(cw / 2), w)];
  const area = (patch[2] - patch[0]) * (patch[3] - patch[1]);
  const lambda = h * w > 0 ? 1 - area / (h * w) : 1;
  const [mixed, mixedLabels] = tf.tidy(() => {
    const idx = tf.tensor1d(index, 'int32');
    const partner = tf.gather(images, idx);
    const mask = n === 0 ? tf.zeros(images.shape, 'bool') : tf.broadcastTo(patchMask(n, h, w, new Array<Patch>(n).fill(patch)), images.shape);
    return [tf.where(mask, partner, images), tf.add(tf.mul(soft, lambda), tf.mul(tf.gather(soft, idx), 1 - lambda))];
  });
  soft.dispose();
  return { images: mixed as tf.Tensor4D, labels: mixedLabels as tf.Tensor2D, lambda, index, patch };
}
