import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, defaultGenerator, describeValue, type Generator } from '@fovea/core';
import { checkImage, pair, sumAll, type Pair } from '../_internal/args.js';

/** Options for {@link fractionalMaxPool2d}: give exactly one of `outputSize` and `outputRatio`. @category Pooling */
export interface FractionalMaxPool2dOptions {
  /** Window size, `int or [kH, kW]`. */
  kernelSize: Pair;
  /** Output size `int or [oh, ow]`. */
  outputSize?: Pair | null;
  /** Output size as a fraction of the input, `float or [rh, rw]` in (0, 1): `oh = floor(H·rh)`. */
  outputRatio?: number | readonly [number, number] | null;
  /**
   * PyTorch's `_random_samples`: `N·C·2` numbers in [0, 1) in `[N, C, 2]` order
   * (index 0 drives the columns, 1 the rows), to reproduce a PyTorch run;
   * default: drawn from `generator`.
   */
  randomSamples?: ArrayLike<number> | null;
  /** Random source when `randomSamples` is not given (default: core's default generator). */
  generator?: Generator;
}

/** What {@link fractionalMaxPool2dWithIndices} returns. @category Pooling */
export interface FractionalMaxPool2dResult {
  /** `[N, oh, ow, C]` maxima. */
  output: tf.Tensor4D;
  /** int32 `[N, oh, ow, C]`: flat `h·W + w` of each maximum in its `(n, c)` plane. */
  indices: tf.Tensor4D;
}

/** PyTorch's `generate_intervals` (in float32, as PyTorch computes it for float32 input): window starts for one axis. */
function intervals(sample: number, inSize: number, outSize: number, pool: number): number[] {
  const f = Math.fround;
  const seq = new Array<number>(outSize).fill(0);
  if (outSize > 1) {
    const alpha = f((inSize - pool) / (outSize - 1));
    const s = f(sample);
    for (let i = 0; i < outSize - 1; i++) seq[i] = Math.trunc(f(f(i + s) * alpha)) - Math.trunc(f(s * alpha));
  }
  if (outSize > 0) seq[outSize - 1] = inSize - pool;
  return seq;
}

function resolve(op: string, shape: readonly number[], opts: FractionalMaxPool2dOptions) {
  const [n, h, w, c] = shape as [number, number, number, number];
  const k = pair(op, 'options.kernelSize', opts.kernelSize, { integer: true, min: 1 });
  const hasSize = opts.outputSize != null;
  const hasRatio = opts.outputRatio != null;
  if (hasSize === hasRatio) throw new FoveaError({ op, arg: 'options', expected: 'exactly one of outputSize and outputRatio', got: hasSize ? 'both' : 'neither' });
  const out: [number, number] = hasSize
    ? pair(op, 'options.outputSize', opts.outputSize, { integer: true, min: 1 })
    : (pair(op, 'options.outputRatio', opts.outputRatio, { gt: 0, lt: 1 }).map((r, i) => Math.floor([h, w][i]! * r)) as [number, number]);
  if (out[0] + k[0] - 1 > h || out[1] + k[1] - 1 > w || out[0] < 1 || out[1] < 1) {
    throw new FoveaError({ op, arg: 'options.outputSize', expected: `at least 1 and at most input - kernel + 1 = ${formatPair([h - k[0] + 1, w - k[1] + 1])}`, got: formatPair(out) });
  }
  let samples: ArrayLike<number>;
  if (opts.randomSamples != null) {
    samples = opts.randomSamples;
    if (samples.length !== n * c * 2) {
      throw new FoveaError({ op, arg: 'options.randomSamples', expected: `${n * c * 2} numbers ([N, C, 2])`, got: `${samples.length}` });
    }
    for (let i = 0; i < samples.length; i++) {
      if (!(samples[i]! >= 0 && samples[i]! < 1)) throw new FoveaError({ op, arg: `options.randomSamples[${i}]`, expected: 'a number in [0, 1)', got: describeValue(samples[i]) });
    }
  } else {
    const g = opts.generator ?? defaultGenerator();
    const s = new Float32Array(n * c * 2);
    for (let i = 0; i < s.length; i++) s[i] = g.random();
    samples = s;
  }
  return { k, out, samples };
}

function formatPair(p: readonly number[]): string {
  return `[${p.join(', ')}]`;
}

/**
 * Builds, per `(n, c)` plane `P`, one-hot row pickers `[P, oh, H]` and column
 * pickers `[P, W, ow]` for each tap offset, plus the flat index of each tap.
 */
function pickers(n: number, h: number, w: number, c: number, k: [number, number], out: [number, number], samples: ArrayLike<number>) {
  const planes = n * c;
  const [oh, ow] = out;
  const rowsStart: number[][] = [];
  const colsStart: number[][] = [];
  for (let p = 0; p < planes; p++) {
    colsStart.push(intervals(samples[2 * p]!, w, ow, k[1]));
    rowsStart.push(intervals(samples[2 * p + 1]!, h, oh, k[0]));
  }
  const rows = (a: number) => {
    const m = new Float32Array(planes * oh * h);
    for (let p = 0; p < planes; p++) for (let i = 0; i < oh; i++) m[(p * oh + i) * h + rowsStart[p]![i]! + a] = 1;
    return tf.tensor3d(m, [planes, oh, h]);
  };
  const cols = (b: number) => {
    const m = new Float32Array(planes * w * ow);
    for (let p = 0; p < planes; p++) for (let j = 0; j < ow; j++) m[(p * w + colsStart[p]![j]! + b) * ow + j] = 1;
    return tf.tensor3d(m, [planes, w, ow]);
  };
  const flatIndex = (a: number, b: number) => {
    const m = new Int32Array(planes * oh * ow);
    for (let p = 0; p < planes; p++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) m[(p * oh + i) * ow + j] = (rowsStart[p]![i]! + a) * w + colsStart[p]![j]! + b;
    return m;
  };
  return { rows, cols, flatIndex };
}

function run(op: string, x: tf.Tensor, opts: FractionalMaxPool2dOptions, withIndices: boolean): FractionalMaxPool2dResult | tf.Tensor4D {
  const shape = checkImage(op, 'x', x);
  const [n, h, w, c] = shape;
  const { k, out, samples } = resolve(op, shape, opts);
  const [oh, ow] = out;
  if (x.size === 0) {
    const z = tf.zeros([n, oh, ow, c]) as tf.Tensor4D;
    return withIndices ? { output: z, indices: tf.zeros([n, oh, ow, c], 'int32') as tf.Tensor4D } : z;
  }
  const pk = pickers(n, h, w, c, k, out, samples);
  let taps: tf.Tensor[] = [];
  const output = tf.tidy(() => {
    const planes = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c, h, w]); // [P, H, W]
    taps = [];
    for (let a = 0; a < k[0]; a++) {
      const rowsSel = tf.matMul(pk.rows(a), planes); // [P, oh, W]
      for (let b = 0; b < k[1]; b++) taps.push(tf.matMul(rowsSel, pk.cols(b))); // [P, oh, ow]
    }
    // a chain of maximums in raster order: ties send the gradient to the earlier tap, as PyTorch does
    let y = taps[0]!;
    for (let t = 1; t < taps.length; t++) y = tf.maximum(y, taps[t]!);
    if (withIndices) taps.forEach((t) => tf.keep(t));
    return tf.transpose(tf.reshape(y, [n, c, oh, ow]), [0, 2, 3, 1]) as tf.Tensor4D; // [N, oh, ow, C]
  });
  if (!withIndices) return output;
  const indices = tf.tidy(() => {
    const y = tf.reshape(tf.transpose(output, [0, 3, 1, 2]), [n * c, oh, ow]); // [P, oh, ow]
    let taken: tf.Tensor | null = null;
    const parts: tf.Tensor[] = [];
    let t = 0;
    for (let a = 0; a < k[0]; a++) {
      for (let b = 0; b < k[1]; b++) {
        const eq = tf.equal(taps[t++]!, y);
        const first: tf.Tensor = taken ? tf.logicalAnd(eq, tf.logicalNot(taken)) : eq;
        taken = taken ? tf.logicalOr(taken, eq) : eq;
        parts.push(tf.mul(tf.cast(first, 'int32'), tf.tensor3d(pk.flatIndex(a, b), [n * c, oh, ow], 'int32')));
      }
    }
    // [P, oh, ow] → [N, oh, ow, C], through float32 (tfjs-webgpu cannot transpose int32)
    const idx = tf.mul(sumAll(parts), tf.scalar(1, 'float32'));
    return tf.cast(tf.transpose(tf.reshape(idx, [n, c, oh, ow]), [0, 2, 3, 1]), 'int32') as tf.Tensor4D;
  });
  tf.dispose(taps);
  return { output, indices };
}

/**
 * Fractional max pooling (Graham 2014), PyTorch's `F.fractional_max_pool2d`
 * on channels-last images: `kH × kW` windows at pseudo-random, increasing
 * offsets chosen per `(n, c)` plane so that the output has any size between 1
 * and `H - kH + 1`. Seeded through core's generator (or PyTorch's
 * `_random_samples`). Differentiable (the gradient goes to each window's first maximum).
 *
 * @param x `[N, H, W, C]`.
 * @param opts kernelSize, outputSize or outputRatio, randomSamples, generator.
 * @returns `[N, oh, ow, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fractionalMaxPool2d } from '@fovea/layers';
 * import { Generator } from '@fovea/core';
 * const y = fractionalMaxPool2d(tf.randomNormal([1, 32, 32, 16]), { kernelSize: 2, outputRatio: 1 / Math.SQRT2, generator: new Generator(0) });
 * y.shape; // [1, 22, 22, 16]
 * ```
 * @category Pooling
 */
export function fractionalMaxPool2d(x: tf.Tensor, opts: FractionalMaxPool2dOptions): tf.Tensor4D {
  return run('fractionalMaxPool2d', x, opts, false) as tf.Tensor4D;
}

/**
 * {@link fractionalMaxPool2d} that also returns PyTorch's indices (flat
 * `h·W + w` per plane), for {@link maxUnpool2d}.
 *
 * @param x `[N, H, W, C]`.
 * @param opts as {@link fractionalMaxPool2d}.
 * @returns `{ output [N, oh, ow, C], indices int32 [N, oh, ow, C] }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fractionalMaxPool2dWithIndices } from '@fovea/layers';
 * const { output, indices } = fractionalMaxPool2dWithIndices(tf.randomNormal([1, 9, 9, 1]), { kernelSize: 2, outputSize: 5 });
 * indices.shape; // [1, 5, 5, 1]
 * ```
 * @category Pooling
 */
export function fractionalMaxPool2dWithIndices(x: tf.Tensor, opts: FractionalMaxPool2dOptions): FractionalMaxPool2dResult {
  return run('fractionalMaxPool2dWithIndices', x, opts, true) as FractionalMaxPool2dResult;
}

/** Options for the {@link FractionalMaxPool2d} module. @category Pooling */
export type FractionalMaxPool2dModuleOptions = Omit<FractionalMaxPool2dOptions, 'kernelSize' | 'randomSamples'>;

/**
 * A fractional max-pooling layer (PyTorch's `nn.FractionalMaxPool2d`); draws
 * fresh window offsets from its generator at every call. See {@link fractionalMaxPool2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FractionalMaxPool2d } from '@fovea/layers';
 * const pool = new FractionalMaxPool2d(3, { outputSize: [13, 12] });
 * pool.forward(tf.zeros([1, 25, 25, 4])).shape; // [1, 13, 12, 4]
 * ```
 * @category Pooling
 */
export class FractionalMaxPool2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The options the layer was built with. */
  readonly options: FractionalMaxPool2dOptions;

  /**
   * @param kernelSize `int or [kH, kW]`.
   * @param opts outputSize or outputRatio, generator.
   */
  constructor(kernelSize: Pair, opts: FractionalMaxPool2dModuleOptions) {
    super();
    this.options = { ...opts, kernelSize };
    checkNumber('FractionalMaxPool2d', 'kernelSize', Array.isArray(kernelSize) ? kernelSize[0] : kernelSize, { integer: true, min: 1 });
  }

  /** `x [N, H, W, C]` → `[N, oh, ow, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return fractionalMaxPool2d(x, this.options);
  }
}
