/** Private: the PCA basis of a data matrix, shared by PCA and whitening. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { symmetricEigen, type EighMethod } from './eigh.js';
import { featureMean } from './_mean.js';

/** The centred data's principal axes. @internal */
export interface Basis {
  /** float32 `[D]` feature means (owned by the caller). */
  mean: tf.Tensor;
  /** Eigenvalues of the unbiased covariance, descending (float64). */
  values: Float64Array;
  /** Eigenvectors as rows `[D, D]` in the same order, each row's largest-|value| entry positive (float64). */
  vectors: Float64Array;
  /** D. */
  d: number;
}

/** Checks `x` `[N, D]` with N ≥ 2. @internal */
export function checkData(op: string, x: unknown): asserts x is tf.Tensor {
  checkTensor(op, 'x', x, { dtype: 'float32', rank: 2 });
  if (x.shape[0]! < 2) {
    throw new FoveaError({ op, arg: 'x', expected: 'at least 2 rows [N >= 2, D] (the covariance divides by N - 1)', got: `shape ${formatShape(x.shape)}` });
  }
}

/**
 * Mean, unbiased covariance `xcᵀ xc / (N - 1)` (on the backend, float32), then its
 * eigen-decomposition in float64: eigenvalues descending, each eigenvector's sign
 * chosen so its largest-magnitude entry (the first on ties) is positive. @internal
 */
export async function fitBasis(op: string, x: tf.Tensor, method: EighMethod): Promise<Basis> {
  const [n, d] = x.shape as [number, number];
  const mean = featureMean(x); // [D]
  const cov = tf.tidy(() => {
    const xc = tf.sub(x, mean); // [N, D]
    return tf.div(tf.matMul(xc, xc, true, false), n - 1); // [D, D]
  });
  let data: Float64Array;
  try {
    data = Float64Array.from(await cov.data());
  } finally {
    cov.dispose();
  }
  let eig;
  try {
    eig = symmetricEigen(op, 'x', data, d, method);
  } catch (e) {
    mean.dispose();
    throw e;
  }
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const src = d - 1 - i; // ascending → descending
    values[i] = eig.values[src]!;
    const row = eig.vectors.subarray(src * d, src * d + d);
    let arg = 0;
    for (let j = 1; j < d; j++) if (Math.abs(row[j]!) > Math.abs(row[arg]!)) arg = j;
    const sign = row[arg]! < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) vectors[i * d + j] = sign * row[j]!;
  }
  return { mean, values, vectors, d };
}
