import { checkNumber, FoveaError, formatShape } from '@fovea/core';
import { checkSameShape, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link ssim} and {@link SSIM}. @category Image quality */
export interface SsimOptions {
  /** Range of the pixel values (max − min). Default 1. */
  dataRange?: number;
  /** Standard deviation of the Gaussian window. Default 1.5 (11 taps with truncate 3.5). */
  sigma?: number;
  /** `K1` of the luminance constant `C1 = (K1·R)²`. Default 0.01. */
  k1?: number;
  /** `K2` of the contrast constant `C2 = (K2·R)²`. Default 0.03. */
  k2?: number;
}

interface Resolved {
  range: number;
  k1: number;
  k2: number;
  weights: Float64Array;
  radius: number;
}

function resolve(op: string, o: SsimOptions): Resolved {
  const range = checkNumber(op, 'options.dataRange', o.dataRange ?? 1, { gt: 0 });
  const sigma = checkNumber(op, 'options.sigma', o.sigma ?? 1.5, { gt: 0 });
  const k1 = checkNumber(op, 'options.k1', o.k1 ?? 0.01, { min: 0 });
  const k2 = checkNumber(op, 'options.k2', o.k2 ?? 0.03, { min: 0 });
  // scipy.ndimage's _gaussian_kernel1d with truncate 3.5 (skimage's SSIM setting)
  const radius = Math.floor(3.5 * sigma + 0.5);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    weights[k + radius] = Math.exp((-0.5 / (sigma * sigma)) * k * k);
    sum += weights[k + radius]!;
  }
  for (let k = 0; k < weights.length; k++) weights[k]! /= sum;
  return { range, k1, k2, weights, radius };
}

/** scipy.ndimage mode `reflect` (half-sample symmetric: `d c b a | a b c d | d c b a`). */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

/** Separable Gaussian filter of an `[H, W]` plane (rows, then columns), mode reflect. */
function gaussian(src: Float64Array, h: number, w: number, r: Resolved, tmp: Float64Array, out: Float64Array): void {
  const { weights, radius } = r;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) s += weights[k + radius]! * src[reflect(y + k, h) * w + x]!;
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) s += weights[k + radius]! * tmp[y * w + reflect(x + k, w)]!;
      out[y * w + x] = s;
    }
  }
}

/** Mean SSIM of one `[H, W]` plane pair, cropped by the filter radius (skimage). */
function planeSsim(x: Float64Array, y: Float64Array, h: number, w: number, r: Resolved): number {
  const n = h * w;
  const prod = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    prod[0]![i] = x[i]! * x[i]!;
    prod[1]![i] = y[i]! * y[i]!;
    prod[2]![i] = x[i]! * y[i]!;
  }
  const tmp = new Float64Array(n);
  const [ux, uy, uxx, uyy, uxy] = Array.from({ length: 5 }, () => new Float64Array(n)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  gaussian(x, h, w, r, tmp, ux);
  gaussian(y, h, w, r, tmp, uy);
  gaussian(prod[0]!, h, w, r, tmp, uxx);
  gaussian(prod[1]!, h, w, r, tmp, uyy);
  gaussian(prod[2]!, h, w, r, tmp, uxy);
  const c1 = (r.k1 * r.range) ** 2;
  const c2 = (r.k2 * r.range) ** 2;
  const pad = r.radius;
  let sum = 0;
  for (let yy = pad; yy < h - pad; yy++) {
    for (let xx = pad; xx < w - pad; xx++) {
      const i = yy * w + xx;
      const vx = uxx[i]! - ux[i]! * ux[i]!;
      const vy = uyy[i]! - uy[i]! * uy[i]!;
      const vxy = uxy[i]! - ux[i]! * uy[i]!;
      const a1 = 2 * ux[i]! * uy[i]! + c1;
      const a2 = 2 * vxy + c2;
      const b1 = ux[i]! ** 2 + uy[i]! ** 2 + c1;
      const b2 = vx + vy + c2;
      sum += (a1 * a2) / (b1 * b2);
    }
  }
  return sum / ((h - 2 * pad) * (w - 2 * pad));
}

/** Per-image SSIMs of an `[N, H, W, C]` batch. */
async function imageScores(op: string, preds: MetricInput, targets: MetricInput, r: Resolved): Promise<number[]> {
  const p = await readInput(op, 'preds', preds, { rank: 4 });
  const t = await readInput(op, 'targets', targets, { rank: 4 });
  checkSameShape(op, 'preds', p, 'targets', t);
  const [N, H, W, C] = p.shape as [number, number, number, number];
  const win = 2 * r.radius + 1;
  if (H < win || W < win) {
    throw new FoveaError({ op, arg: 'preds', expected: `images of at least ${win}×${win} pixels (the Gaussian window) as [N, H, W, C]`, got: `shape ${formatShape(p.shape)}` });
  }
  const x = new Float64Array(H * W);
  const y = new Float64Array(H * W);
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < H * W; i++) {
        const at = (n * H * W + i) * C + c; // NHWC
        x[i] = t.data[at]!;
        y[i] = p.data[at]!;
      }
      s += planeSsim(x, y, H, W, r);
    }
    out.push(s / C);
  }
  return out;
}

/**
 * Structural similarity (Wang et al. 2004) as scikit-image computes it with
 * `gaussian_weights=True, sigma=1.5, use_sample_covariance=False` (the
 * paper's setting, also torchmetrics'): an 11-tap Gaussian window
 * (truncate 3.5), scipy's `reflect` borders, population covariances, the
 * SSIM map averaged after cropping the window radius from each border;
 * then the mean over channels and over images.
 *
 * @param preds `[N, H, W, C]` images (NHWC, Fovea's layout), `H, W ≥ 11`.
 * @param targets `[N, H, W, C]` reference images.
 * @param opts see {@link SsimOptions}.
 * @returns the mean SSIM in `[-1, 1]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ssim } from '@fovea/metrics';
 * const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 7);
 * await ssim(x, x); // 1
 * ```
 * @category Image quality
 */
export async function ssim(preds: MetricInput, targets: MetricInput, opts: SsimOptions = {}): Promise<number> {
  const op = 'ssim';
  const scores = await imageScores(op, preds, targets, resolve(op, opts));
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

/**
 * Streaming {@link ssim}: the mean over every image seen.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SSIM } from '@fovea/metrics';
 * const m = new SSIM();
 * const x = tf.randomUniform([2, 12, 12, 1], 0, 1, 'float32', 1);
 * await m.update(x, x);
 * m.compute(); // 1
 * ```
 * @category Image quality
 */
export class SSIM implements Metric<[MetricInput, MetricInput], number> {
  private readonly opts: Resolved;
  private sum = 0;
  private count = 0;

  constructor(opts: SsimOptions = {}) {
    this.opts = resolve('SSIM', opts);
  }

  /**
   * Adds a batch.
   * @param preds `[B, H, W, C]` images.
   * @param targets `[B, H, W, C]` reference images.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    const s = await imageScores('SSIM.update', preds, targets, this.opts);
    for (const v of s) this.sum += v;
    this.count += s.length;
  }

  /** Mean SSIM over every image seen (`NaN` before any). */
  compute(): number {
    return this.sum / this.count;
  }

  /** Forgets everything. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}
