import { FoveaError, formatShape } from '@fovea/core';
import { readInput, type MetricInput } from '../_internal/input.js';
import { Moments, traceSqrtProduct } from '../_internal/linalg.js';
import type { Metric } from '../metric.js';

async function readFeatures(op: string, arg: string, x: MetricInput, d?: number): Promise<{ data: ArrayLike<number>; n: number; d: number }> {
  const f = await readInput(op, arg, x, { rank: 2 });
  const [n, dd] = f.shape as [number, number];
  if (d !== undefined && dd !== d) {
    throw new FoveaError({ op, arg, expected: `shape [N, ${d}] (the feature size seen first)`, got: `shape ${formatShape(f.shape)}` });
  }
  return { data: f.data, n, d: dd };
}

/** ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr √(Σ1 Σ2). */
function frechet(a: Moments, b: Moments, op: string, names: [string, string] = ['feats1', 'feats2']): number {
  for (const [m, arg] of [[a, names[0]], [b, names[1]]] as const) {
    if (m.n < 2) throw new FoveaError({ op, arg, expected: 'at least 2 samples (a covariance needs them)', got: `${m.n}` });
  }
  const d = a.d;
  const s1 = a.covariance();
  const s2 = b.covariance();
  let dist = 0;
  for (let j = 0; j < d; j++) {
    const diff = a.mean[j]! - b.mean[j]!;
    dist += diff * diff + s1[j * d + j]! + s2[j * d + j]!;
  }
  return dist - 2 * traceSqrtProduct(s1, s2, d);
}

/**
 * The Fréchet distance between two Gaussians fitted to feature sets — FID
 * when the features are Inception-v3 pool features (pytorch-fid's formula):
 * `‖μ1 − μ2‖² + tr(Σ1) + tr(Σ2) − 2·tr(√(Σ1Σ2))`, with unbiased covariances
 * (`np.cov`, divide by `N − 1`). Computed in float64; the matrix square
 * root's trace is the sum of `√λ` over the eigenvalues of `Lᵀ Σ2 L`
 * (`Σ1 = L Lᵀ`), which equals scipy's `sqrtm` trace without its complex
 * round-off.
 *
 * Cost is `O(N·D² + D³)` in float64 JavaScript: about 4 s of CPU for
 * `N = 2500`, `D = 1024` in Node, roughly eight times that at Inception's `D = 2048`.
 *
 * @param feats1 `[N, D]` features of the first set (e.g. real images).
 * @param feats2 `[M, D]` features of the second set (e.g. generated images).
 * @returns the distance (≥ 0 up to round-off).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { frechetDistance } from '@fovea/metrics';
 * const a = tf.tensor2d([[0, 0], [1, 0], [0, 1], [1, 1]]);
 * const b = tf.tensor2d([[2, 0], [3, 0], [2, 1], [3, 1]]);
 * await frechetDistance(a, b); // 4: same covariance, means 2 apart
 * ```
 * @category Generative
 */
export async function frechetDistance(feats1: MetricInput, feats2: MetricInput): Promise<number> {
  const op = 'frechetDistance';
  const f1 = await readFeatures(op, 'feats1', feats1);
  const f2 = await readFeatures(op, 'feats2', feats2, f1.d);
  const a = new Moments(f1.d);
  a.add(f1.data, f1.n);
  const b = new Moments(f2.d);
  b.add(f2.data, f2.n);
  return frechet(a, b, op);
}

/** Options for {@link FrechetDistance}. @category Generative */
export interface FrechetDistanceOptions {
  /** Keep the real-set statistics on `reset()` (compute them once, compare many generators). Default false. */
  keepRealOnReset?: boolean;
}

/**
 * Streaming {@link frechetDistance} (FID from features): keeps only the
 * running mean and covariance of each set (`D² + D` float64 each), merged
 * batch by batch with Chan's update, so any number of samples fits.
 *
 * @example
 * ```ts
 * import { FrechetDistance } from '@fovea/metrics';
 * const fid = new FrechetDistance();
 * await fid.update([[0, 0], [1, 0]], true);   // real features, batch 1
 * await fid.update([[0, 1], [1, 1]], true);   // real features, batch 2
 * await fid.update([[2, 0], [3, 0], [2, 1], [3, 1]], false); // generated
 * fid.compute(); // 4
 * ```
 * @category Generative
 */
export class FrechetDistance implements Metric<[MetricInput, boolean], number> {
  private real: Moments | null = null;
  private fake: Moments | null = null;
  private readonly keepReal: boolean;

  constructor(opts: FrechetDistanceOptions = {}) {
    this.keepReal = opts.keepRealOnReset ?? false;
  }

  /**
   * Adds a batch of features.
   * @param features `[B, D]` features.
   * @param real true for the reference (real) set, false for the generated set.
   */
  async update(features: MetricInput, real: boolean): Promise<void> {
    const op = 'FrechetDistance.update';
    if (typeof real !== 'boolean') throw new FoveaError({ op, arg: 'real', expected: 'a boolean (true = real set)', got: typeof real });
    const d = (this.real ?? this.fake)?.d;
    const f = await readFeatures(op, 'features', features, d);
    const m = real ? (this.real ??= new Moments(f.d)) : (this.fake ??= new Moments(f.d));
    m.add(f.data, f.n);
  }

  /** The distance between the two sets seen so far. */
  compute(): number {
    const op = 'FrechetDistance.compute';
    if (!this.real || !this.fake) {
      throw new FoveaError({ op, arg: this.real ? 'generated features' : 'real features', expected: 'at least one update', got: 'none' });
    }
    return frechet(this.real, this.fake, op, ['real features', 'generated features']);
  }

  /** Forgets the generated set, and the real set unless `keepRealOnReset`. */
  reset(): void {
    this.fake = null;
    if (!this.keepReal) this.real = null;
  }
}
