import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber } from '@fovea/core';
import { checkImage } from '../_internal/args.js';

/**
 * Sub-pixel upsampling, PyTorch's `F.pixel_shuffle` on channels-last images:
 * `y[n, h·r + i, w·r + j, c] = x[n, h, w, c·r² + i·r + j]` (PyTorch's channel
 * order, which differs from `tf.depthToSpace`'s). Differentiable.
 *
 * @param x `[N, H, W, C·r²]`.
 * @param upscaleFactor `r` (integer ≥ 1).
 * @returns `[N, H·r, W·r, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { pixelShuffle } from '@fovea/layers';
 * pixelShuffle(tf.zeros([1, 8, 8, 12]), 2).shape; // [1, 16, 16, 3]
 * ```
 * @category Resampling
 */
export function pixelShuffle(x: tf.Tensor, upscaleFactor: number): tf.Tensor4D {
  const op = 'pixelShuffle';
  const [n, h, w, cr] = checkImage(op, 'x', x);
  const r = checkNumber(op, 'upscaleFactor', upscaleFactor, { integer: true, min: 1 });
  if (cr % (r * r) !== 0) {
    throw new FoveaError({ op, arg: 'x', expected: `a channel count divisible by upscaleFactor² = ${r * r}`, got: `${cr} channels` });
  }
  const c = cr / (r * r);
  return tf.tidy(() => {
    const x6 = tf.reshape(x, [n, h, w, c, r, r]); // [N, H, W, C, r_i, r_j]
    const t = tf.transpose(x6, [0, 1, 4, 2, 5, 3]); // [N, H, r_i, W, r_j, C]
    return tf.reshape(t, [n, h * r, w * r, c]); // [N, H·r, W·r, C]
  });
}

/**
 * The inverse of {@link pixelShuffle}, PyTorch's `F.pixel_unshuffle`:
 * `[N, H·r, W·r, C]` → `[N, H, W, C·r²]`. Differentiable.
 *
 * @param x `[N, H·r, W·r, C]`.
 * @param downscaleFactor `r`.
 * @returns `[N, H, W, C·r²]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { pixelUnshuffle } from '@fovea/layers';
 * pixelUnshuffle(tf.zeros([1, 16, 16, 3]), 2).shape; // [1, 8, 8, 12]
 * ```
 * @category Resampling
 */
export function pixelUnshuffle(x: tf.Tensor, downscaleFactor: number): tf.Tensor4D {
  const op = 'pixelUnshuffle';
  const [n, hr, wr, c] = checkImage(op, 'x', x);
  const r = checkNumber(op, 'downscaleFactor', downscaleFactor, { integer: true, min: 1 });
  if (hr % r !== 0 || wr % r !== 0) {
    throw new FoveaError({ op, arg: 'x', expected: `height and width divisible by downscaleFactor = ${r}`, got: `${hr}×${wr}` });
  }
  const h = hr / r;
  const w = wr / r;
  return tf.tidy(() => {
    const x6 = tf.reshape(x, [n, h, r, w, r, c]); // [N, H, r_i, W, r_j, C]
    const t = tf.transpose(x6, [0, 1, 3, 5, 2, 4]); // [N, H, W, C, r_i, r_j]
    return tf.reshape(t, [n, h, w, c * r * r]); // [N, H, W, C·r²]
  });
}

/**
 * A pixel-shuffle layer (PyTorch's `nn.PixelShuffle`); no parameters. See {@link pixelShuffle}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PixelShuffle } from '@fovea/layers';
 * new PixelShuffle(3).forward(tf.zeros([1, 4, 4, 9])).shape; // [1, 12, 12, 1]
 * ```
 * @category Resampling
 */
export class PixelShuffle extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The upscale factor `r`. */
  readonly upscaleFactor: number;

  /** @param upscaleFactor `r`. */
  constructor(upscaleFactor: number) {
    super();
    this.upscaleFactor = checkNumber('PixelShuffle', 'upscaleFactor', upscaleFactor, { integer: true, min: 1 });
  }

  /** `x [N, H, W, C·r²]` → `[N, H·r, W·r, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return pixelShuffle(x, this.upscaleFactor);
  }
}
