import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { checkData, fitBasis } from './_basis.js';
import type { EighMethod } from './eigh.js';

/** Options for {@link PCA} and {@link pca}. @category Preprocessing */
export interface PCAOptions {
  /** Components to keep, `1 ≤ k ≤ D`; default all `D`. */
  nComponents?: number;
  /** Scale each projected coordinate to unit variance (`/ √(λ + eps)`), scikit-learn's `whiten`; default `false`. */
  whiten?: boolean;
  /** Added to the eigenvalues before whitening; default 0. */
  eps?: number;
  /** Eigensolver, see {@link EighMethod}; default `'auto'`. */
  method?: EighMethod;
}

interface Fitted {
  mean: tf.Tensor; // [D]
  components: tf.Tensor; // [k, D]
  explainedVariance: tf.Tensor; // [k]
  scale: tf.Tensor | null; // [k] 1/√(λ+eps) when whitening
  ratio: number[];
}

/**
 * Principal component analysis (scikit-learn's `PCA(svd_solver="full")`, up to its
 * sign convention): center the data, eigen-decompose the unbiased covariance
 * `xcᵀ xc / (N - 1)` (computed on the backend, decomposed in float64 in JS, so
 * `fit` is async), keep the top `k` eigenvectors as `components` `[k, D]`
 * (eigenvalues decreasing, each row signed so its largest-|value| entry is positive).
 * `transform(x) = (x - mean) @ componentsᵀ`. Owns its tensors; call `dispose()`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PCA } from '@fovea/core';
 * const x = tf.tensor2d([[2, 0], [0, 1], [-2, 0], [0, -1]]);
 * const p = await new PCA({ nComponents: 1 }).fit(x);
 * p.components.print();        // [[1, 0]]
 * p.explainedVariance.print(); // [2.6666667]  (8 / 3)
 * p.transform(x).print();      // [[2], [0], [-2], [0]]
 * p.dispose();
 * ```
 * @category Preprocessing
 */
export class PCA {
  /** The requested number of components (`undefined`: all). */
  readonly nComponentsOption: number | undefined;
  /** Whether `transform` whitens. */
  readonly whiten: boolean;
  /** The whitening eps. */
  readonly eps: number;
  /** The eigensolver. */
  readonly method: EighMethod;
  private state: Fitted | null = null;

  constructor(opts: PCAOptions = {}) {
    this.nComponentsOption = opts.nComponents === undefined ? undefined : checkNumber('PCA', 'options.nComponents', opts.nComponents, { integer: true, min: 1 });
    this.whiten = opts.whiten ?? false;
    this.eps = checkNumber('PCA', 'options.eps', opts.eps ?? 0, { min: 0 });
    this.method = opts.method ?? 'auto';
  }

  /** Fits the components of `x` `[N, D]` (N ≥ 2); resolves to this. */
  async fit(x: tf.Tensor): Promise<this> {
    checkData('PCA.fit', x);
    const d = x.shape[1]!;
    const k = this.nComponentsOption ?? d;
    if (k > d) throw new FoveaError({ op: 'PCA.fit', arg: 'options.nComponents', expected: `at most D = ${d} (the features of x)`, got: String(k) });
    const basis = await fitBasis('PCA.fit', x, this.method);
    const total = basis.values.reduce((s, v) => s + v, 0);
    const top = Array.from(basis.values.subarray(0, k));
    const next: Fitted = {
      mean: basis.mean,
      components: tf.tensor2d(Float32Array.from(basis.vectors.subarray(0, k * d)), [k, d]),
      explainedVariance: tf.tensor1d(Float32Array.from(top)),
      scale: this.whiten ? tf.tensor1d(Float32Array.from(top, (v) => 1 / Math.sqrt(Math.max(v, 0) + this.eps))) : null,
      ratio: top.map((v) => v / total),
    };
    this.dispose();
    this.state = next;
    return this;
  }

  private fitted(op: string): Fitted {
    if (!this.state) throw new FoveaError({ op, arg: 'this', expected: 'a fitted PCA (await fit first)', got: 'an unfitted one' });
    return this.state;
  }

  /** Projects `x` `[M, D]` onto the components: `[M, k]` (whitened if `whiten`). */
  transform(x: tf.Tensor): tf.Tensor {
    const s = this.fitted('PCA.transform');
    checkTensor('PCA.transform', 'x', x, { dtype: 'float32', shape: [null, s.mean.shape[0]!] });
    return tf.tidy(() => {
      const z = tf.matMul(tf.sub(x, s.mean), s.components, false, true); // [M, k]
      return s.scale ? tf.mul(z, s.scale) : z;
    });
  }

  /** Maps projections `z` `[M, k]` back to feature space `[M, D]` (exact when k = D). */
  inverseTransform(z: tf.Tensor): tf.Tensor {
    const s = this.fitted('PCA.inverseTransform');
    checkTensor('PCA.inverseTransform', 'z', z, { dtype: 'float32', shape: [null, s.components.shape[0]!] });
    return tf.tidy(() => tf.add(tf.matMul(s.scale ? tf.div(z, s.scale) : z, s.components), s.mean));
  }

  /** `await fit(x)` then `transform(x)`. */
  async fitTransform(x: tf.Tensor): Promise<tf.Tensor> {
    return (await this.fit(x)).transform(x);
  }

  /** `[k, D]` principal axes, one per row (owned by this object). */
  get components(): tf.Tensor {
    return this.fitted('PCA.components').components;
  }

  /** `[k]` variance along each component (covariance eigenvalues, decreasing; owned by this object). */
  get explainedVariance(): tf.Tensor {
    return this.fitted('PCA.explainedVariance').explainedVariance;
  }

  /** Fraction of the total variance each component explains (plain numbers). */
  get explainedVarianceRatio(): number[] {
    return [...this.fitted('PCA.explainedVarianceRatio').ratio];
  }

  /** `[D]` feature means (owned by this object). */
  get mean(): tf.Tensor {
    return this.fitted('PCA.mean').mean;
  }

  /** The number of components kept after `fit`. */
  get nComponents(): number {
    return this.fitted('PCA.nComponents').components.shape[0]!;
  }

  /** Releases the fitted tensors. */
  dispose(): void {
    if (this.state) tf.dispose([this.state.mean, this.state.components, this.state.explainedVariance, ...(this.state.scale ? [this.state.scale] : [])]);
    this.state = null;
  }
}

/** What {@link pca} returns (the caller disposes every tensor). @category Preprocessing */
export interface PCAResult {
  /** `[k, D]` principal axes. */
  components: tf.Tensor;
  /** `[k]` their variances, decreasing. */
  explainedVariance: tf.Tensor;
  /** `[N, k]` the centred data projected: `(x - mean) @ componentsᵀ`. */
  projected: tf.Tensor;
  /** `[D]` feature means. */
  mean: tf.Tensor;
}

/**
 * One-shot PCA of `x`: fits a {@link PCA} with `k` components and returns its
 * outputs as tensors the caller owns.
 *
 * @param x float32 `[N, D]`, N ≥ 2.
 * @param k components to keep, `1 ≤ k ≤ D`.
 * @param opts `method` (default `'auto'`).
 * @returns `{ components [k, D], explainedVariance [k], projected [N, k], mean [D] }`.
 * @example
 * ```ts
 * import { pca, randn } from '@fovea/core';
 * const x = randn([100, 5]);
 * const r = await pca(x, 2);
 * r.projected.shape; // [100, 2]
 * Object.values(r).forEach((t) => t.dispose());
 * x.dispose();
 * ```
 * @category Preprocessing
 */
export async function pca(x: tf.Tensor, k: number, opts: { method?: EighMethod } = {}): Promise<PCAResult> {
  checkNumber('pca', 'k', k, { integer: true, min: 1 });
  const model = await new PCA({ nComponents: k, ...(opts.method ? { method: opts.method } : {}) }).fit(x);
  const projected = model.transform(x);
  const out: PCAResult = {
    components: tf.clone(model.components),
    explainedVariance: tf.clone(model.explainedVariance),
    projected,
    mean: tf.clone(model.mean),
  };
  model.dispose();
  return out;
}
