import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { checkOneOf } from '../validate/values.js';
import { jacobiEigen, type EigenPairs } from './_jacobi.js';
import { tridiagonalQLEigen, tridiagonalQLEigenvalues } from './_tridiagonal-ql.js';

/**
 * The symmetric eigensolver: `'jacobi'` (cyclic Jacobi rotations), `'ql'`
 * (Householder tridiagonalisation + implicit QL), or `'auto'` (Jacobi up to
 * D = 64, QL above, where Jacobi's many sweeps get slow).
 *
 * @category Preprocessing
 */
export type EighMethod = 'auto' | 'jacobi' | 'ql';

/** Options for {@link eigh}. @category Preprocessing */
export interface EighOptions {
  /** Which algorithm; default `'auto'`. */
  method?: EighMethod;
}

/** Largest D for which `'auto'` picks Jacobi. */
const JACOBI_MAX = 64;

/** Eigenvalues ascending, eigenvectors as rows in the same order (float64, in JS). @internal */
export function symmetricEigen(op: string, arg: string, a: Float64Array, n: number, method: EighMethod = 'auto'): EigenPairs {
  return solve(op, arg, a, n, method, true) as EigenPairs;
}

function solve(op: string, arg: string, a: Float64Array, n: number, method: EighMethod, withVectors: boolean): { values: Float64Array; vectors: Float64Array | null } {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) {
      throw new FoveaError({ op, arg, expected: 'finite values', got: `${a[i]} at entry ${i} of the ${n}×${n} matrix it decomposes` });
    }
  }
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  const useJacobi = method === 'jacobi' || (method === 'auto' && n <= JACOBI_MAX);
  const fail = () =>
    new FoveaError({ op, arg, expected: 'a matrix the eigensolver converges on', got: `no convergence (${useJacobi ? 'Jacobi' : 'QL'}, D = ${n})` });
  if (n === 0) return { values: new Float64Array(0), vectors: withVectors ? new Float64Array(0) : null };
  if (!withVectors && !useJacobi) {
    const values = tridiagonalQLEigenvalues(sym, n);
    if (!values) throw fail();
    return { values: values.sort(), vectors: null };
  }
  const pairs = useJacobi ? jacobiEigen(sym, n) : tridiagonalQLEigen(sym, n);
  if (!pairs) throw fail();
  const order = Array.from(pairs.values.keys()).sort((i, j) => pairs.values[i]! - pairs.values[j]!);
  const values = new Float64Array(n);
  const vectors = withVectors ? new Float64Array(n * n) : null;
  order.forEach((src, dst) => {
    values[dst] = pairs.values[src]!;
    vectors?.set(pairs.vectors.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

/** Options for {@link eighArrays}. @category Preprocessing */
export interface EighArraysOptions extends EighOptions {
  /** Compute the eigenvectors too (default `true`); `false` returns eigenvalues only, about 3× less work with `'ql'`. */
  vectors?: boolean;
  /** The op named in errors (default `'eighArrays'`), for callers that decompose on their own behalf. */
  op?: string;
}

/** What {@link eighArrays} returns. @category Preprocessing */
export interface EighArraysResult {
  /** float64 `[D]` eigenvalues in ascending order. */
  values: Float64Array;
  /** float64 `[D, D]` row-major, eigenvector `i` as **row** `i` (for `values[i]`); `null` when `vectors: false`. */
  vectors: Float64Array | null;
}

/**
 * {@link eigh} on plain float64 arrays, synchronously: the symmetric
 * eigensolver for code that already works in JavaScript numbers (FID's
 * matrix square root in @fovea/metrics, PCA bases). Only `(a + aᵀ)/2` is
 * used; eigenvector signs are arbitrary.
 *
 * @param a float64 `[D, D]` row-major symmetric matrix (not modified).
 * @param n `D`.
 * @param opts `method` (default `'auto'`), `vectors` (default `true`), `op`.
 * @returns `{ values [D] ascending, vectors [D, D] as rows | null }`.
 * @example
 * ```ts
 * import { eighArrays } from '@fovea/core';
 * const { values, vectors } = eighArrays(Float64Array.of(2, 1, 1, 2), 2);
 * // values [1, 3]; vectors rows ±[0.7071, -0.7071] and ±[0.7071, 0.7071]
 * const onlyValues = eighArrays(Float64Array.of(2, 1, 1, 2), 2, { vectors: false }).values;
 * ```
 * @category Preprocessing
 */
export function eighArrays(a: Float64Array, n: number, opts: EighArraysOptions = {}): EighArraysResult {
  const op = opts.op ?? 'eighArrays';
  if (!Number.isInteger(n) || n < 0) throw new FoveaError({ op, arg: 'n', expected: 'a non-negative integer', got: String(n) });
  if (!(a instanceof Float64Array) || a.length !== n * n) {
    throw new FoveaError({ op, arg: 'a', expected: `a Float64Array of n × n = ${n * n} entries`, got: a instanceof Float64Array ? `${a.length} entries` : typeof a });
  }
  const method = checkOneOf(op, 'options.method', opts.method ?? 'auto', ['auto', 'jacobi', 'ql'] as const);
  return solve(op, 'a', a, n, method, opts.vectors ?? true);
}

/** What {@link eigh} returns (the caller disposes both). @category Preprocessing */
export interface EighResult {
  /** float32 `[D]` eigenvalues in ascending order (as `torch.linalg.eigh`). */
  eigenvalues: tf.Tensor;
  /** float32 `[D, D]` orthonormal eigenvectors as **columns**, column `j` for eigenvalue `j`. */
  eigenvectors: tf.Tensor;
}

/**
 * Eigen-decomposition of a real symmetric matrix (PyTorch's `torch.linalg.eigh`),
 * computed in float64 in JavaScript after reading the matrix back (so it is async):
 * `a = V diag(λ) Vᵀ`. Only the lower/upper average `(a + aᵀ)/2` is used.
 * Eigenvector signs are arbitrary, as in PyTorch.
 *
 * @param a float32 `[D, D]` symmetric matrix (e.g. a covariance).
 * @param opts `method` (default `'auto'`).
 * @returns `{ eigenvalues [D] ascending, eigenvectors [D, D] }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { eigh } from '@fovea/core';
 * const { eigenvalues, eigenvectors } = await eigh(tf.tensor2d([[2, 1], [1, 2]]));
 * eigenvalues.print();  // [1, 3]
 * eigenvectors.print(); // columns ±[0.7071, -0.7071] and ±[0.7071, 0.7071]
 * ```
 * @category Preprocessing
 */
export async function eigh(a: tf.Tensor, opts: EighOptions = {}): Promise<EighResult> {
  checkTensor('eigh', 'a', a, { dtype: 'float32', rank: 2 });
  if (a.shape[0] !== a.shape[1]) {
    throw new FoveaError({ op: 'eigh', arg: 'a', expected: 'a square matrix [D, D]', got: `shape ${formatShape(a.shape)}` });
  }
  const method = checkOneOf('eigh', 'options.method', opts.method ?? 'auto', ['auto', 'jacobi', 'ql'] as const);
  const n = a.shape[0]!;
  const { values, vectors } = symmetricEigen('eigh', 'a', Float64Array.from(await a.data()), n, method);
  const cols = tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(vectors), [n, n]))); // rows → columns
  return { eigenvalues: tf.tensor1d(Float32Array.from(values)), eigenvectors: cols };
}
