import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber } from '@fovea/core';
import { checkBool, checkImage, type Pair } from '../_internal/args.js';
import { resolvePool, type PoolGeometry } from '../_internal/pool.js';

/** Options for {@link avgPool2d}. @category Pooling */
export interface AvgPool2dOptions {
  /** Window size, `int or [kH, kW]`. */
  kernelSize: Pair;
  /** Step between windows; default (or `null`) = `kernelSize`. */
  stride?: Pair | null;
  /** Implicit zero padding on both sides, at most half the kernel; default 0. */
  padding?: Pair;
  /** `ceil` instead of `floor` for the output size (PyTorch's rule); default `false`. */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor; default `true` (PyTorch's default). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead; default none. */
  divisorOverride?: number | null;
}

/** Per-output multiplier `kH·kW / divisor` with PyTorch's divisor rule, `[1, Ho, Wo, 1]`. */
function scaleMap(g: PoolGeometry, h: number, w: number, includePad: boolean, override: number | null): Float32Array {
  const [oh, ow] = g.out;
  const out = new Float32Array(oh * ow);
  const window = (o: number, i: 0 | 1, n: number) => {
    let start = o * g.s[i] - g.p[i];
    let end = Math.min(start + g.k[i], n + g.p[i]);
    const span = end - start;
    start = Math.max(start, 0);
    end = Math.min(end, n);
    return [span, Math.max(end - start, 0)] as const;
  };
  for (let i = 0; i < oh; i++) {
    const [ph, vh] = window(i, 0, h);
    for (let j = 0; j < ow; j++) {
      const [pw, vw] = window(j, 1, w);
      const div = override ?? (includePad ? ph * pw : vh * vw);
      out[i * ow + j] = (g.k[0] * g.k[1]) / div;
    }
  }
  return out;
}

/**
 * 2-D average pooling, PyTorch's `F.avg_pool2d` on channels-last images, with
 * PyTorch's divisor rule: with `countIncludePad` the divisor counts padding but
 * not a ceil-mode window's overhang past the padded edge; without it, only
 * real pixels. Differentiable.
 *
 * @param x `[N, H, W, C]`.
 * @param opts kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride.
 * @returns `[N, Ho, Wo, C]` (output size as {@link maxPool2d}).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { avgPool2d } from '@fovea/layers';
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * avgPool2d(x, { kernelSize: 2 }).dataSync(); // [2.5]
 * ```
 * @category Pooling
 */
export function avgPool2d(x: tf.Tensor, opts: AvgPool2dOptions): tf.Tensor4D {
  const op = 'avgPool2d';
  const shape = checkImage(op, 'x', x);
  const g = resolvePool(op, shape, opts);
  const includePad = checkBool(op, 'options.countIncludePad', opts.countIncludePad ?? true);
  const override = opts.divisorOverride == null ? null : checkNumber(op, 'options.divisorOverride', opts.divisorOverride, { gt: 0 });
  const [n, h, w, c] = shape;
  if (x.size === 0) return tf.zeros([n, g.out[0], g.out[1], c]);
  return tf.tidy(() => {
    const [ph, pw] = g.p;
    const xp = ph + pw + g.extra[0] + g.extra[1] === 0 ? x : tf.pad(x, [[0, 0], [ph, ph + g.extra[0]], [pw, pw + g.extra[1]], [0, 0]]);
    let y = tf.avgPool(xp as tf.Tensor4D, g.k, g.s, 'valid');
    if (y.shape[1] !== g.out[0] || y.shape[2] !== g.out[1]) y = tf.slice(y, [0, 0, 0, 0], [n, g.out[0], g.out[1], c]);
    const scale = scaleMap(g, h, w, includePad, override);
    if (scale.every((v) => v === 1)) return y;
    return tf.mul(y, tf.tensor4d(scale, [1, g.out[0], g.out[1], 1]));
  });
}

/** Options for the {@link AvgPool2d} module. @category Pooling */
export type AvgPool2dModuleOptions = Omit<AvgPool2dOptions, 'kernelSize'>;

/**
 * An average-pooling layer (PyTorch's `nn.AvgPool2d`); no parameters. See {@link avgPool2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AvgPool2d } from '@fovea/layers';
 * new AvgPool2d(3, { stride: 2, padding: 1 }).forward(tf.zeros([1, 8, 8, 4])).shape; // [1, 4, 4, 4]
 * ```
 * @category Pooling
 */
export class AvgPool2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The options the layer was built with. */
  readonly options: AvgPool2dOptions;

  /**
   * @param kernelSize `int or [kH, kW]`.
   * @param opts stride, padding, ceilMode, countIncludePad, divisorOverride.
   */
  constructor(kernelSize: Pair, opts: AvgPool2dModuleOptions = {}) {
    super();
    this.options = { ...opts, kernelSize };
    resolvePool('AvgPool2d', [1, 1 << 20, 1 << 20, 1], this.options);
  }

  /** `x [N, H, W, C]` → `[N, Ho, Wo, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return avgPool2d(x, this.options);
  }
}
