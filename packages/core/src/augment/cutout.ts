import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber, checkPair, describeValue } from '../validate/values.js';
import { checkFill, checkImages } from './affine.js';
import { checkProbability } from './_internal/random.js';

/** A patch in pixels: rows `[y1, y2)` and columns `[x1, x2)` (end exclusive). @category Augmentation */
export type Patch = [y1: number, x1: number, y2: number, x2: number];

/** @internal `[N, H, W, 1]` bool mask of each image's patch, built with tf ops. */
export function patchMask(n: number, h: number, w: number, patches: readonly Patch[]): tf.Tensor4D {
  return tf.tidy(() => {
    const col = (k: number) => tf.tensor4d(patches.map((p) => p[k]!), [n, 1, 1, 1], 'int32');
    const rows = tf.reshape(tf.range(0, h, 1, 'int32'), [1, h, 1, 1]); // [1, H, 1, 1]
    const cols = tf.reshape(tf.range(0, w, 1, 'int32'), [1, 1, w, 1]); // [1, 1, W, 1]
    const inY = tf.logicalAnd(tf.greaterEqual(rows, col(0)), tf.less(rows, col(2))); // [N, H, 1, 1]
    const inX = tf.logicalAnd(tf.greaterEqual(cols, col(1)), tf.less(cols, col(3))); // [N, 1, W, 1]
    return tf.logicalAnd(inY, inX) as tf.Tensor4D; // [N, H, W, 1]
  });
}

/** Options for {@link cutout}. @category Augmentation */
export interface CutoutOptions {
  /** Value(s) written into the patch: a number or one per channel (default 0). */
  fill?: number | number[];
}

/**
 * Overwrites one rectangular patch per image with `fill` (the deterministic
 * half of {@link randomCutout}; torchvision's `F.erase`). Patches may reach
 * outside the image; only the part inside is filled.
 *
 * @param images `[N, H, W, C]` float32.
 * @param patches one {@link Patch} per image (`[y1, x1, y2, x2]`, end exclusive), or one for all.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutout } from '@fovea/core';
 * const out = cutout(tf.ones([1, 4, 4, 1]), [[1, 1, 3, 3]]); // the centre 2×2 is zero
 * ```
 * @category Augmentation
 */
export function cutout(images: tf.Tensor, patches: readonly Patch[], opts: CutoutOptions = {}): tf.Tensor4D {
  const op = 'cutout';
  checkImages(op, images);
  const [n, h, w, c] = images.shape;
  checkFill(op, opts.fill, c);
  if (!Array.isArray(patches) || (patches.length !== n && patches.length !== 1)) {
    throw new FoveaError({ op, arg: 'patches', expected: `one [y1, x1, y2, x2] patch or N = ${n} of them`, got: Array.isArray(patches) ? `${patches.length}` : describeValue(patches) });
  }
  patches.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 4) throw new FoveaError({ op, arg: `patches[${i}]`, expected: '[y1, x1, y2, x2]', got: describeValue(p) });
    p.forEach((v, k) => checkNumber(op, `patches[${i}][${k}]`, v, { integer: true }));
  });
  const list = patches.length === n ? patches : new Array<Patch>(n).fill(patches[0]!);
  return tf.tidy(() => {
    if (n === 0) return tf.clone(images) as tf.Tensor4D;
    const mask = tf.broadcastTo(patchMask(n, h, w, list), images.shape);
    const fill = tf.broadcastTo(typeof opts.fill === 'object' ? tf.tensor1d(opts.fill) : tf.scalar(opts.fill ?? 0), images.shape);
    return tf.where(mask, fill, images) as tf.Tensor4D;
  });
}

/** Options for {@link randomCutout}. @category Augmentation */
export interface RandomCutoutOptions extends CutoutOptions {
  /** Probability that an image gets a patch (default 1). */
  p?: number;
  /** The generator for the patch centres (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/**
 * Cutout (DeVries & Taylor, 2017): for each image, a `size` square (or
 * `[h, w]` rectangle) centred at a uniformly random pixel is filled with
 * `fill`, clipped at the image border — so patches near an edge are partly
 * outside and smaller. Centres are drawn per image from the seeded generator.
 *
 * @param images `[N, H, W, C]` float32.
 * @param size patch side `S` or `[h, w]` in pixels.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomCutout } from '@fovea/core';
 * const out = randomCutout(tf.ones([8, 32, 32, 3]), 16); // one 16×16 hole per image (clipped at edges)
 * ```
 * @category Augmentation
 */
export function randomCutout(images: tf.Tensor, size: number | [number, number], opts: RandomCutoutOptions = {}): tf.Tensor4D {
  const op = 'randomCutout';
  checkImages(op, images);
  const [ph, pw] = checkPair(op, 'size', size, { integer: true, min: 0 });
  const p = checkProbability(op, 'opts.p', opts.p ?? 1);
  checkFill(op, opts.fill, images.shape[3]);
  const [n, h, w] = images.shape;
  const g = opts.generator ?? defaultGenerator();
  const patches = Array.from({ length: h > 0 && w > 0 ? n : 0 }, (): Patch => {
    const cy = g.randint(0, h);
    const cx = g.randint(0, w);
    if (g.random() >= p) return [0, 0, 0, 0];
    const y1 = Math.max(0, cy - Math.floor(ph / 2));
    const x1 = Math.max(0, cx - Math.floor(pw / 2));
    return [y1, x1, Math.min(h, cy - Math.floor(ph / 2) + ph), Math.min(w, cx - Math.floor(pw / 2) + pw)];
  });
  return cutout(images, patches.length === 0 ? [[0, 0, 0, 0]] : patches, opts.fill === undefined ? {} : { fill: opts.fill });
}
