import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkTensor } from '../validate/shape.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from './adjust-color.js';
import { parseRange, uniformIn } from './_internal/random.js';

/** Options for {@link colorJitter}; an omitted property leaves that aspect alone. @category Augmentation */
export interface ColorJitterOptions {
  /** Brightness factor range: `b` for `[max(0, 1 − b), 1 + b]`, or `[lo, hi]`. */
  brightness?: number | [number, number];
  /** Contrast factor range: `c` for `[max(0, 1 − c), 1 + c]`, or `[lo, hi]`. */
  contrast?: number | [number, number];
  /** Saturation factor range: `s` for `[max(0, 1 − s), 1 + s]`, or `[lo, hi]`. */
  saturation?: number | [number, number];
  /** Hue shift range: `h` in `[0, 0.5]` for `[-h, h]`, or `[lo, hi]` within `[-0.5, 0.5]`. */
  hue?: number | [number, number];
  /** The generator for the factors and the order (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/**
 * Random colour jitter, as torchvision's `ColorJitter`: brightness, contrast,
 * saturation and hue adjustments ({@link adjustBrightness} …
 * {@link adjustHue}) with factors drawn independently **per image**, applied
 * in a random order drawn once per call.
 *
 * @param images `[N, H, W, C]` float32 in `[0, 1]`, C = 1 or 3.
 * @returns `[N, H, W, C]`, owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { colorJitter, Generator } from '@fovea/core';
 * const out = colorJitter(tf.rand([8, 32, 32, 3]), { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, generator: new Generator(0) });
 * ```
 * @category Augmentation
 */
export function colorJitter(images: tf.Tensor, opts: ColorJitterOptions = {}): tf.Tensor4D {
  const op = 'colorJitter';
  checkTensor(op, 'images', images, { rank: 4, dtype: 'float32' });
  const factorRange = (name: 'brightness' | 'contrast' | 'saturation') =>
    opts[name] === undefined ? undefined : parseRange(op, `opts.${name}`, opts[name], { center: 1, min: 0 });
  const ranges = {
    brightness: factorRange('brightness'),
    contrast: factorRange('contrast'),
    saturation: factorRange('saturation'),
    hue: opts.hue === undefined ? undefined : parseRange(op, 'opts.hue', opts.hue, { min: -0.5, max: 0.5 }),
  };
  const g = opts.generator ?? defaultGenerator();
  const n = images.shape[0];
  const order = Array.from(g.permutation(4));
  const fns = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
  const keys = ['brightness', 'contrast', 'saturation', 'hue'] as const;
  const factors = keys.map((k) => {
    const r = ranges[k];
    return r ? Array.from({ length: n }, () => uniformIn(g, r[0], r[1])) : undefined;
  });
  return tf.tidy(() => {
    let out = images as tf.Tensor4D;
    for (const i of order) {
      const f = factors[i];
      if (f && n > 0) out = fns[i]!(out, f);
    }
    return out === images ? tf.clone(out) : out;
  });
}
