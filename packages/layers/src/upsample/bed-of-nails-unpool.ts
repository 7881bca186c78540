import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber } from '@fovea/core';
import { checkImage } from '../_internal/args.js';
import { insertZeros } from '../_internal/spatial.js';

/**
 * "Bed of nails" unpooling: each input pixel goes to the top-left corner of
 * its `s × s` output block and the rest is zero,
 * `y[n, i·s, j·s, c] = x[n, i, j, c]`. Differentiable (the gradient reads the nail positions).
 *
 * @param x `[N, H, W, C]`.
 * @param scale the block size `s` (integer ≥ 1); default 2.
 * @returns `[N, H·s, W·s, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bedOfNailsUnpool } from '@fovea/layers';
 * bedOfNailsUnpool(tf.tensor4d([1, 2], [1, 1, 2, 1])).dataSync(); // [1, 0, 2, 0, 0, 0, 0, 0]
 * ```
 * @category Resampling
 */
export function bedOfNailsUnpool(x: tf.Tensor, scale = 2): tf.Tensor4D {
  const op = 'bedOfNailsUnpool';
  const [n, h, w, c] = checkImage(op, 'x', x);
  const s = checkNumber(op, 'scale', scale, { integer: true, min: 1 });
  if (x.size === 0) return tf.zeros([n, h * s, w * s, c]);
  return tf.tidy(() => {
    const up = insertZeros(x as tf.Tensor4D, s, s); // [N, (H-1)s+1, (W-1)s+1, C]
    return s === 1 ? tf.clone(up) : tf.pad(up, [[0, 0], [0, s - 1], [0, s - 1], [0, 0]]); // [N, H·s, W·s, C]
  });
}

/**
 * A bed-of-nails unpooling layer; no parameters. See {@link bedOfNailsUnpool}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BedOfNailsUnpool } from '@fovea/layers';
 * new BedOfNailsUnpool(2).forward(tf.zeros([1, 4, 4, 8])).shape; // [1, 8, 8, 8]
 * ```
 * @category Resampling
 */
export class BedOfNailsUnpool extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The block size `s`. */
  readonly scale: number;

  /** @param scale the block size (default 2). */
  constructor(scale = 2) {
    super();
    this.scale = checkNumber('BedOfNailsUnpool', 'scale', scale, { integer: true, min: 1 });
  }

  /** `x [N, H, W, C]` → `[N, H·s, W·s, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return bedOfNailsUnpool(x, this.scale);
  }
}
