import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber, checkOneOf, checkPair, describeValue } from '../validate/values.js';
import { checkFill, checkImages } from './affine.js';

/** Options for {@link randomCrop}. @category Augmentation */
export interface RandomCropOptions {
  /**
   * Padding added before cropping, as torchvision's `RandomCrop`: `p` on all
   * sides, `[left/right, top/bottom]`, or `[left, top, right, bottom]` (default 0).
   */
  padding?: number | [number, number] | [number, number, number, number];
  /** How padding is filled: `'constant'` (default, with `fill`), `'edge'`, `'reflect'` (no edge repeat) or `'symmetric'` (edge repeated). */
  paddingMode?: 'constant' | 'edge' | 'reflect' | 'symmetric';
  /** Value(s) of constant padding: a number or one per channel (default 0). */
  fill?: number | number[];
  /** The generator for the crop positions (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** Maps a coordinate of the padded image to the source image, or -1 for constant padding. */
function mapIndex(i: number, size: number, mode: NonNullable<RandomCropOptions['paddingMode']>): number {
  if (i >= 0 && i < size) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return Math.min(Math.max(i, 0), size - 1);
  if (size === 1) return 0;
  // reflect: period 2(size−1) without repeating the edge; symmetric: period 2·size with it
  const period = mode === 'reflect' ? 2 * (size - 1) : 2 * size;
  const m = ((i % period) + period) % period;
  if (mode === 'reflect') return m < size ? m : period - m;
  return m < size ? m : period - 1 - m;
}

/**
 * Crops a random `size` window out of each image (after optional padding),
 * as torchvision's `RandomCrop`, with an independent position per image drawn
 * from the seeded generator. Pixels are copied exactly (one `tf.gather`).
 *
 * @param images `[N, H, W, C]` float32.
 * @param size output `[Ho, Wo]`, or `S` for `[S, S]`; at most the padded image size.
 * @returns `[N, Ho, Wo, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomCrop, Generator } from '@fovea/core';
 * const batch = tf.zeros([8, 32, 32, 3]);
 * const out = randomCrop(batch, 32, { padding: 4, generator: new Generator(0) }); // CIFAR-style, `[8, 32, 32, 3]`
 * ```
 * @category Augmentation
 */
export function randomCrop(images: tf.Tensor, size: number | [number, number], opts: RandomCropOptions = {}): tf.Tensor4D {
  const op = 'randomCrop';
  checkImages(op, images);
  const [n, h, w, c] = images.shape;
  const [oh, ow] = checkPair(op, 'size', size, { integer: true, min: 1 });
  const mode = checkOneOf(op, 'opts.paddingMode', opts.paddingMode ?? 'constant', ['constant', 'edge', 'reflect', 'symmetric'] as const);
  checkFill(op, opts.fill, c);
  const pad = opts.padding ?? 0;
  let l: number, t: number, r: number, b: number;
  if (typeof pad === 'number') l = t = r = b = checkNumber(op, 'opts.padding', pad, { integer: true, min: 0 });
  else if (Array.isArray(pad) && pad.length === 2) [l, t, r, b] = [pad[0], pad[1], pad[0], pad[1]];
  else if (Array.isArray(pad) && pad.length === 4) [l, t, r, b] = pad;
  else throw new FoveaError({ op, arg: 'opts.padding', expected: 'a number, [lr, tb] or [l, t, r, b]', got: describeValue(pad) });
  [l, t, r, b].forEach((p) => checkNumber(op, 'opts.padding', p, { integer: true, min: 0 }));
  if (mode === 'reflect' && (Math.max(l, r) >= w || Math.max(t, b) >= h)) {
    throw new FoveaError({ op, arg: 'opts.padding', expected: `less than the image size ${h}×${w} for 'reflect'`, got: describeValue(pad) });
  }
  const hp = h + t + b;
  const wp = w + l + r;
  if (oh > hp || ow > wp) {
    throw new FoveaError({ op, arg: 'size', expected: `at most the padded image size [${hp}, ${wp}]`, got: `[${oh}, ${ow}]` });
  }
  const g = opts.generator ?? defaultGenerator();
  // per-image source indices into the flattened batch, and where constant padding shows
  const idx = new Int32Array(n * oh * ow);
  const valid = new Float32Array(n * oh * ow);
  for (let k = 0; k < n; k++) {
    const top = g.randint(0, hp - oh + 1) - t;
    const left = g.randint(0, wp - ow + 1) - l;
    for (let i = 0; i < oh; i++) {
      const sy = mapIndex(top + i, h, mode);
      for (let j = 0; j < ow; j++) {
        const sx = mapIndex(left + j, w, mode);
        const o = (k * oh + i) * ow + j;
        const ok = sy >= 0 && sx >= 0;
        idx[o] = ok ? (k * h + sy) * w + sx : 0;
        valid[o] = ok ? 1 : 0;
      }
    }
  }
  return tf.tidy(() => {
    if (n === 0) return tf.zeros([0, oh, ow, c]) as tf.Tensor4D;
    const flat = tf.reshape(images, [n * h * w, c]); // [N·H·W, C]
    const out = tf.reshape(tf.gather(flat, tf.tensor1d(idx, 'int32')), [n, oh, ow, c]); // [N, Ho, Wo, C]
    if (mode !== 'constant' || valid.every((v) => v === 1)) return out as tf.Tensor4D;
    const mask = tf.tensor4d(valid, [n, oh, ow, 1]);
    const fill = opts.fill === undefined ? tf.scalar(0) : typeof opts.fill === 'number' ? tf.scalar(opts.fill) : tf.tensor1d(opts.fill);
    return tf.add(tf.mul(out, mask), tf.mul(tf.sub(1, mask), fill)) as tf.Tensor4D;
  });
}
