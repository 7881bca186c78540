import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber, checkOneOf } from '../validate/values.js';
import { checkData, fitBasis } from './_basis.js';
import type { EighMethod } from './eigh.js';

/** PCA whitening (rotate to the principal axes, then scale) or ZCA (and rotate back). @category Preprocessing */
export type WhiteningKind = 'pca' | 'zca';

/** Options for {@link Whitening} and {@link whiten}. @category Preprocessing */
export interface WhiteningOptions {
  /** `'pca'` (default) or `'zca'` (stays closest to the input; whitened images still look like images). */
  kind?: WhiteningKind;
  /** Added to each eigenvalue before the inverse square root (regularises tiny variances); default 0. */
  eps?: number;
  /** Eigensolver, see {@link EighMethod}; default `'auto'`. */
  method?: EighMethod;
}

interface Fitted {
  mean: tf.Tensor; // [D]
  w: tf.Tensor; // [D, D] whitening matrix
  wInv: tf.Tensor; // [D, D] its inverse
}

/**
 * Whitening with `fit` / `transform`: with the centred data `xc`, the unbiased
 * covariance's eigenvalues `λ` and eigenvectors `U` (columns, signed as in {@link PCA}),
 * PCA whitening is `y = (xc @ U) / √(λ + eps)` and ZCA is `y = ((xc @ U) / √(λ + eps)) @ Uᵀ`.
 * With eps = 0 the result has identity covariance, `yᵀy / (N - 1) = I`. The
 * `[D, D]` matrix is built in float64 and applied with one matmul. Owns its tensors.
 *
 * @example
 * ```ts
 * import { Whitening, randn } from '@fovea/core';
 * const x = randn([500, 3]);
 * const zca = await new Whitening({ kind: 'zca', eps: 1e-5 }).fit(x);
 * const y = zca.transform(x); // [500, 3], covariance ≈ I
 * y.dispose(); zca.dispose(); x.dispose();
 * ```
 * @category Preprocessing
 */
export class Whitening {
  /** PCA or ZCA. */
  readonly kind: WhiteningKind;
  /** The eigenvalue offset. */
  readonly eps: number;
  /** The eigensolver. */
  readonly method: EighMethod;
  private state: Fitted | null = null;

  constructor(opts: WhiteningOptions = {}) {
    this.kind = checkOneOf('Whitening', 'options.kind', opts.kind ?? 'pca', ['pca', 'zca'] as const);
    this.eps = checkNumber('Whitening', 'options.eps', opts.eps ?? 0, { min: 0 });
    this.method = opts.method ?? 'auto';
  }

  /** Fits the whitening transform of `x` `[N, D]` (N ≥ 2); resolves to this. */
  async fit(x: tf.Tensor): Promise<this> {
    checkData('Whitening.fit', x);
    const { mean, values, vectors, d } = await fitBasis('Whitening.fit', x, this.method);
    // U[j, c] = vectors[c·d + j]; scale s_c = 1/√(λ_c + eps); PCA: W = U diag(s); ZCA: W = U diag(s) Uᵀ
    const s = Float64Array.from(values, (v) => 1 / Math.sqrt(Math.max(v, 0) + this.eps));
    const r = Float64Array.from(values, (v) => Math.sqrt(Math.max(v, 0) + this.eps));
    const w = new Float32Array(d * d);
    const wInv = new Float32Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (this.kind === 'pca') {
          w[i * d + j] = vectors[j * d + i]! * s[j]!; // (U diag s)[i, j]
          wInv[i * d + j] = r[i]! * vectors[i * d + j]!; // (diag r Uᵀ)[i, j]
        } else {
          let a = 0;
          let b = 0;
          for (let c = 0; c < d; c++) {
            const uu = vectors[c * d + i]! * vectors[c * d + j]!;
            a += uu * s[c]!;
            b += uu * r[c]!;
          }
          w[i * d + j] = a;
          wInv[i * d + j] = b;
        }
      }
    }
    const next: Fitted = { mean, w: tf.tensor2d(w, [d, d]), wInv: tf.tensor2d(wInv, [d, d]) };
    this.dispose();
    this.state = next;
    return this;
  }

  private fitted(op: string): Fitted {
    if (!this.state) throw new FoveaError({ op, arg: 'this', expected: 'a fitted Whitening (await fit first)', got: 'an unfitted one' });
    return this.state;
  }

  /** Whitens `x` `[M, D]` → `[M, D]`. */
  transform(x: tf.Tensor): tf.Tensor {
    const s = this.fitted('Whitening.transform');
    checkTensor('Whitening.transform', 'x', x, { dtype: 'float32', shape: [null, s.mean.shape[0]!] });
    return tf.tidy(() => tf.matMul(tf.sub(x, s.mean), s.w));
  }

  /** Undoes {@link Whitening.transform}: `y @ W⁻¹ + mean`. */
  inverseTransform(y: tf.Tensor): tf.Tensor {
    const s = this.fitted('Whitening.inverseTransform');
    checkTensor('Whitening.inverseTransform', 'y', y, { dtype: 'float32', shape: [null, s.mean.shape[0]!] });
    return tf.tidy(() => tf.add(tf.matMul(y, s.wInv), s.mean));
  }

  /** `await fit(x)` then `transform(x)`. */
  async fitTransform(x: tf.Tensor): Promise<tf.Tensor> {
    return (await this.fit(x)).transform(x);
  }

  /** `[D, D]` the whitening matrix `W` (`y = (x - mean) @ W`; owned by this object). */
  get matrix(): tf.Tensor {
    return this.fitted('Whitening.matrix').w;
  }

  /** `[D]` feature means (owned by this object). */
  get mean(): tf.Tensor {
    return this.fitted('Whitening.mean').mean;
  }

  /** Releases the fitted tensors. */
  dispose(): void {
    if (this.state) tf.dispose([this.state.mean, this.state.w, this.state.wInv]);
    this.state = null;
  }
}

/**
 * One-shot whitening of `x` (see {@link Whitening}).
 *
 * @param x float32 `[N, D]`, N ≥ 2.
 * @param opts `kind` (default `'pca'`), `eps` (default 0), `method`.
 * @returns `[N, D]` whitened data (the caller disposes it).
 * @example
 * ```ts
 * import { whiten, randn } from '@fovea/core';
 * const x = randn([200, 4]);
 * const y = await whiten(x, { kind: 'zca', eps: 0.1 }); // [200, 4]
 * x.dispose(); y.dispose();
 * ```
 * @category Preprocessing
 */
export async function whiten(x: tf.Tensor, opts: WhiteningOptions = {}): Promise<tf.Tensor> {
  const model = await new Whitening(opts).fit(x);
  const y = model.transform(x);
  model.dispose();
  return y;
}
