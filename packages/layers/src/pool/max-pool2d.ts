import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@fovea/core';
import { checkImage, sumAll, type Pair } from '../_internal/args.js';
import { resolvePool, type PoolGeometry } from '../_internal/pool.js';
import { firstMaxTaps, maxPoolPadded } from '../_internal/max-pool-core.js';

/** The lowest float32: padding for max pooling (never selected). */
const LOWEST = -3.4028234663852886e38;

/** Options for {@link maxPool2d}. @category Pooling */
export interface MaxPool2dOptions {
  /** Window size, `int or [kH, kW]`. */
  kernelSize: Pair;
  /** Step between windows, `int or [sh, sw]`; default (or `null`) = `kernelSize`. */
  stride?: Pair | null;
  /** Implicit −∞ padding on both sides, at most half the kernel; default 0. */
  padding?: Pair;
  /** Spacing between window taps; default 1. */
  dilation?: Pair;
  /** Use `ceil` instead of `floor` for the output size (PyTorch's rule: a last window starting in the right padding is dropped); default `false`. */
  ceilMode?: boolean;
}

/** What {@link maxPool2dWithIndices} returns. @category Pooling */
export interface MaxPool2dResult {
  /** `[N, Ho, Wo, C]` maxima. */
  output: tf.Tensor4D;
  /** int32 `[N, Ho, Wo, C]`: the flat index `h·W + w` of each maximum within its own `(n, c)` plane of the unpadded input (PyTorch's `return_indices`). */
  indices: tf.Tensor4D;
}

function padded(x: tf.Tensor4D, g: PoolGeometry): tf.Tensor4D {
  const [ph, pw] = g.p;
  if (ph === 0 && pw === 0 && g.extra[0] === 0 && g.extra[1] === 0) return x;
  return tf.pad(x, [[0, 0], [ph, ph + g.extra[0]], [pw, pw + g.extra[1]], [0, 0]], LOWEST);
}

/**
 * 2-D max pooling, PyTorch's `F.max_pool2d` on channels-last images:
 * kernel, stride, −∞ padding, dilation and `ceil_mode` with PyTorch's output
 * size rule. Differentiable (the gradient goes to the first maximum of each window).
 *
 * @param x `[N, H, W, C]`.
 * @param opts kernelSize, stride, padding, dilation, ceilMode.
 * @returns `[N, Ho, Wo, C]`, `Ho = floor((H + 2p - d(k-1) - 1)/s) + 1` (or ceil, see `ceilMode`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maxPool2d } from '@fovea/layers';
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * maxPool2d(x, { kernelSize: 2 }).dataSync(); // [4]
 * ```
 * @category Pooling
 */
export function maxPool2d(x: tf.Tensor, opts: MaxPool2dOptions): tf.Tensor4D {
  const shape = checkImage('maxPool2d', 'x', x);
  const g = resolvePool('maxPool2d', shape, opts);
  if (x.size === 0) return tf.zeros([shape[0], g.out[0], g.out[1], shape[3]]);
  return tf.tidy(() => maxPoolPadded(padded(x as tf.Tensor4D, g), g));
}

/**
 * {@link maxPool2d} that also returns PyTorch's indices
 * (`F.max_pool2d(..., return_indices=True)`): for each output, the flat index
 * `h·W + w` of its maximum within its `(n, c)` plane (the first maximum in
 * raster order on ties). Feed them to {@link maxUnpool2d}; `nhwcToNchw`
 * turns them into PyTorch's `[N, C, Ho, Wo]` tensor with the same values.
 *
 * @param x `[N, H, W, C]`.
 * @param opts as {@link maxPool2d}.
 * @returns `{ output [N, Ho, Wo, C], indices int32 [N, Ho, Wo, C] }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maxPool2dWithIndices } from '@fovea/layers';
 * const x = tf.tensor4d([1, 5, 3, 4], [1, 2, 2, 1]);
 * const { output, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
 * indices.dataSync(); // [1] (row 0, column 1)
 * ```
 * @category Pooling
 */
export function maxPool2dWithIndices(x: tf.Tensor, opts: MaxPool2dOptions): MaxPool2dResult {
  const shape = checkImage('maxPool2dWithIndices', 'x', x);
  const g = resolvePool('maxPool2dWithIndices', shape, opts);
  const [n, , w, c] = shape;
  if (x.size === 0) return { output: tf.zeros([n, g.out[0], g.out[1], c]), indices: tf.zeros([n, g.out[0], g.out[1], c], 'int32') };
  const output = tf.tidy(() => maxPoolPadded(padded(x as tf.Tensor4D, g), g));
  const indices = tf.tidy(() => {
    const xp = padded(x as tf.Tensor4D, g);
    const [oh, ow] = g.out;
    const parts = firstMaxTaps(xp, output, g).map(({ mask, r0, c0 }) => {
      // the tap's flat position h·W + w in the unpadded plane, per output pixel
      const cand = new Int32Array(oh * ow);
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const row = i * g.s[0] + r0 - g.p[0];
          const col = j * g.s[1] + c0 - g.p[1];
          cand[i * ow + j] = row * w + col;
        }
      }
      return tf.mul(tf.cast(mask, 'int32'), tf.tensor4d(cand, [1, oh, ow, 1], 'int32'));
    });
    return sumAll(parts) as tf.Tensor4D;
  });
  return { output, indices };
}

/** Options for the {@link MaxPool2d} module. @category Pooling */
export type MaxPool2dModuleOptions = Omit<MaxPool2dOptions, 'kernelSize'>;

/**
 * A max-pooling layer (PyTorch's `nn.MaxPool2d`); no parameters. See
 * {@link maxPool2d}; {@link MaxPool2d.forwardWithIndices} also returns PyTorch's indices.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaxPool2d } from '@fovea/layers';
 * const pool = new MaxPool2d(2);
 * pool.forward(tf.zeros([1, 28, 28, 32])).shape; // [1, 14, 14, 32]
 * ```
 * @category Pooling
 */
export class MaxPool2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The options the layer was built with. */
  readonly options: MaxPool2dOptions;

  /**
   * @param kernelSize `int or [kH, kW]`.
   * @param opts stride, padding, dilation, ceilMode.
   */
  constructor(kernelSize: Pair, opts: MaxPool2dModuleOptions = {}) {
    super();
    this.options = { ...opts, kernelSize };
    resolvePool('MaxPool2d', [1, 1 << 20, 1 << 20, 1], this.options); // validate now
  }

  /** `x [N, H, W, C]` → `[N, Ho, Wo, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return maxPool2d(x, this.options);
  }

  /** `x [N, H, W, C]` → `{ output, indices }` (see {@link maxPool2dWithIndices}). */
  forwardWithIndices(x: tf.Tensor): MaxPool2dResult {
    return maxPool2dWithIndices(x, this.options);
  }
}
