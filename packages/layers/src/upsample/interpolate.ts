import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkOneOf, describeValue } from '@fovea/core';
import { checkImage, pair } from '../_internal/args.js';
import { adaptiveMap, resampleSeparable, type AxisMap } from '../_internal/separable.js';

/** Interpolation modes of {@link interpolate} (PyTorch's names). @category Resampling */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic' | 'area';

const MODES: readonly InterpolateMode[] = ['nearest', 'nearest-exact', 'bilinear', 'bicubic', 'area'];

/** Options for {@link interpolate}: give exactly one of `size` and `scaleFactor`. @category Resampling */
export interface InterpolateOptions {
  /** Output size `int or [oh, ow]`. */
  size?: number | readonly [number, number] | null;
  /** Scale `float or [sh, sw]`: output `floor(H·sh)`, and coordinates map with `1/sh` (PyTorch's rule). */
  scaleFactor?: number | readonly [number, number] | null;
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  /** Bilinear/bicubic: align the corner pixels' centres (`true`) or their edges (`false`, default). */
  alignCorners?: boolean | null;
}

const A = -0.75; // PyTorch's (and OpenCV's) cubic convolution constant

function cubic1(x: number): number {
  return ((A + 2) * x - (A + 3)) * x * x + 1;
}

function cubic2(x: number): number {
  return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}

/** PyTorch's `area_pixel_compute_scale`. */
function linearScale(inS: number, outS: number, alignCorners: boolean, sf: number | null): number {
  if (alignCorners) return outS > 1 ? (inS - 1) / (outS - 1) : 0;
  return sf !== null && sf > 0 ? 1 / sf : inS / outS;
}

/** One axis of PyTorch's `F.interpolate` as a `[out, in]` matrix. */
export function interpolationMap(mode: InterpolateMode, inS: number, outS: number, alignCorners: boolean, sf: number | null): AxisMap {
  if (mode === 'area') return adaptiveMap(inS, outS);
  const w = new Float32Array(outS * inS);
  const add = (i: number, j: number, v: number) => {
    const jj = Math.min(Math.max(j, 0), inS - 1);
    w[i * inS + jj] += v;
  };
  if (mode === 'nearest' || mode === 'nearest-exact') {
    // PyTorch computes the nearest-neighbour scale and index in float32
    const scale = Math.fround(sf !== null && sf > 0 ? 1 / sf : Math.fround(inS) / outS);
    const off = mode === 'nearest-exact' ? 0.5 : 0;
    for (let i = 0; i < outS; i++) {
      const src = outS === inS ? i : Math.min(Math.floor(Math.fround((i + off) * scale)), inS - 1);
      add(i, src, 1);
    }
    return { out: outS, in: inS, w };
  }
  const scale = linearScale(inS, outS, alignCorners, sf);
  for (let i = 0; i < outS; i++) {
    if (mode === 'bilinear') {
      let src = alignCorners ? scale * i : scale * (i + 0.5) - 0.5;
      if (src < 0) src = 0;
      const i0 = Math.min(Math.floor(Math.fround(src)), inS - 1);
      const l1 = Math.min(Math.max(src - i0, 0), 1);
      const i1 = i0 + (i0 < inS - 1 ? 1 : 0);
      add(i, i0, 1 - l1);
      add(i, i1, l1);
    } else {
      const src = alignCorners ? scale * i : scale * (i + 0.5) - 0.5;
      const i0 = Math.floor(Math.fround(src));
      const t = src - i0;
      add(i, i0 - 1, cubic2(t + 1));
      add(i, i0, cubic1(t));
      add(i, i0 + 1, cubic1(1 - t));
      add(i, i0 + 2, cubic2(2 - t));
    }
  }
  return { out: outS, in: inS, w };
}

/** @internal Resolves the output size and per-axis scale factors. */
export function resolveInterpolate(op: string, h: number, w: number, opts: InterpolateOptions) {
  const mode = checkOneOf(op, 'options.mode', opts.mode ?? 'nearest', MODES);
  const hasSize = opts.size !== undefined && opts.size !== null;
  const hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
  if (hasSize === hasScale) {
    throw new FoveaError({ op, arg: 'options', expected: 'exactly one of size and scaleFactor', got: hasSize ? 'both' : 'neither' });
  }
  const linear = mode === 'bilinear' || mode === 'bicubic';
  const ac = opts.alignCorners ?? false;
  if (typeof ac !== 'boolean') throw new FoveaError({ op, arg: 'options.alignCorners', expected: 'a boolean or null', got: describeValue(ac) });
  if (ac && !linear) {
    throw new FoveaError({ op, arg: 'options.alignCorners', expected: "null/false unless mode is 'bilinear' or 'bicubic'", got: `true with mode '${mode}'` });
  }
  let size: [number, number];
  let sf: [number | null, number | null] = [null, null];
  if (hasSize) {
    size = pair(op, 'options.size', opts.size, { integer: true, min: 1 });
  } else {
    const s = pair(op, 'options.scaleFactor', opts.scaleFactor, { gt: 0 });
    size = [Math.floor(h * s[0]), Math.floor(w * s[1])];
    sf = s;
    if (size[0] < 1 || size[1] < 1) {
      throw new FoveaError({ op, arg: 'options.scaleFactor', expected: 'a factor giving an output of at least 1×1', got: `${describeValue(opts.scaleFactor)} for ${h}×${w}` });
    }
  }
  checkNumber(op, 'options.size[0]', size[0], { integer: true, min: 1 });
  return { mode, alignCorners: ac, size, sf };
}

/**
 * Resizes channels-last images exactly as PyTorch's `F.interpolate` does
 * (antialias off, `recompute_scale_factor=None`): modes `nearest`,
 * `nearest-exact`, `bilinear`, `bicubic` (Keys, A = −0.75, clamped taps) and
 * `area`, with `alignCorners`; with `scaleFactor` the output is
 * `floor(H·s)` and coordinates map with `1/s` (not `H/oh`). Differentiable
 * (the gradient is the exact adjoint, which tfjs's own resize gradients are not
 * for half-pixel centres).
 *
 * @param x `[N, H, W, C]`.
 * @param opts size or scaleFactor, mode, alignCorners.
 * @returns `[N, oh, ow, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { interpolate } from '@fovea/layers';
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * interpolate(x, { scaleFactor: 2, mode: 'bilinear' }).shape; // [1, 4, 4, 1]
 * interpolate(x, { size: [1, 1], mode: 'area' }).dataSync(); // [2.5]
 * ```
 * @category Resampling
 */
export function interpolate(x: tf.Tensor, opts: InterpolateOptions): tf.Tensor4D {
  const op = 'interpolate';
  const [n, h, w, c] = checkImage(op, 'x', x);
  const r = resolveInterpolate(op, h, w, opts);
  const [oh, ow] = r.size;
  if (x.size === 0) return tf.zeros([n, oh, ow, c]);
  return resampleSeparable(
    x as tf.Tensor4D,
    interpolationMap(r.mode, h, oh, r.alignCorners, r.sf[0]),
    interpolationMap(r.mode, w, ow, r.alignCorners, r.sf[1]),
  );
}

/**
 * An upsampling layer (PyTorch's `nn.Upsample`); no parameters. See {@link interpolate}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Upsample } from '@fovea/layers';
 * const up = new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false });
 * up.forward(tf.zeros([1, 8, 8, 3])).shape; // [1, 16, 16, 3]
 * ```
 * @category Resampling
 */
export class Upsample extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The options the layer was built with. */
  readonly options: InterpolateOptions;

  /** @param opts size or scaleFactor, mode, alignCorners. */
  constructor(opts: InterpolateOptions) {
    super();
    resolveInterpolate('Upsample', 8, 8, opts);
    this.options = { ...opts };
  }

  /** `x [N, H, W, C]` → `[N, oh, ow, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return interpolate(x, this.options);
  }
}
