/**
 * Householder tridiagonalisation followed by the implicit QL algorithm with
 * shifts (EISPACK's tred2/tql2, as in the public-domain JAMA library), for dense
 * symmetric matrices in float64. About 10× faster than Jacobi at D = 784 (the
 * covariance of 28×28 images); used for larger matrices by `eigh`'s `'auto'`.
 * Eigenvectors are kept as contiguous rows (V stored column-major) so every inner
 * loop walks memory in order.
 */
import type { EigenPairs } from './_jacobi.js';

/**
 * tred2: reduces `z` (in: the matrix; out: the orthogonal transform, column-major,
 * when `vectors`) to tridiagonal `d`, `e`. Without `vectors` the transform is not
 * accumulated (about half the work) and `z` is left as scratch.
 */
function tridiagonalize(z: Float64Array, n: number, d: Float64Array, e: Float64Array, vectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = z[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = z[j * n + i - 1]!;
        z[j * n + i] = 0;
        z[i * n + j] = 0;
      }
    } else {
      h = householder(z, n, i, scale, d, e);
    }
    d[i] = h;
  }
  if (!vectors) {
    for (let j = 0; j < n; j++) d[j] = z[j * n + j]!;
    e[0] = 0;
    return;
  }
  accumulate(z, n, d);
  for (let j = 0; j < n; j++) {
    d[j] = z[j * n + n - 1]!;
    z[j * n + n - 1] = 0;
  }
  z[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** One Householder step of tred2 for row `i`; returns `h`. */
function householder(z: Float64Array, n: number, i: number, scale: number, d: Float64Array, e: Float64Array): number {
  let h = 0;
  for (let k = 0; k < i; k++) {
    d[k] = d[k]! / scale;
    h += d[k]! * d[k]!;
  }
  let f = d[i - 1]!;
  let g = Math.sqrt(h);
  if (f > 0) g = -g;
  e[i] = scale * g;
  h -= f * g;
  d[i - 1] = f - g;
  for (let j = 0; j < i; j++) e[j] = 0;
  for (let j = 0; j < i; j++) {
    const jn = j * n;
    f = d[j]!;
    z[i * n + j] = f;
    g = e[j]! + z[jn + j]! * f;
    for (let k = j + 1; k <= i - 1; k++) {
      g += z[jn + k]! * d[k]!;
      e[k] = e[k]! + z[jn + k]! * f;
    }
    e[j] = g;
  }
  f = 0;
  for (let j = 0; j < i; j++) {
    e[j] = e[j]! / h;
    f += e[j]! * d[j]!;
  }
  const hh = f / (h + h);
  for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
  for (let j = 0; j < i; j++) {
    const jn = j * n;
    f = d[j]!;
    g = e[j]!;
    for (let k = j; k <= i - 1; k++) z[jn + k] = z[jn + k]! - (f * e[k]! + g * d[k]!);
    d[j] = z[jn + i - 1]!;
    z[jn + i] = 0;
  }
  return h;
}

/** Accumulates the Householder transformations into `z`. */
function accumulate(z: Float64Array, n: number, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    z[i * n + n - 1] = z[i * n + i]!;
    z[i * n + i] = 1;
    const h = d[i + 1]!;
    const cn = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = z[cn + k]! / h;
      for (let j = 0; j <= i; j++) {
        const jn = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += z[cn + k]! * z[jn + k]!;
        for (let k = 0; k <= i; k++) z[jn + k] = z[jn + k]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) z[cn + k] = 0;
  }
}

/** tql2: diagonalises the tridiagonal `d`, `e`, rotating the vectors in `z` (unless `z` is null); false if it did not converge. */
function ql(z: Float64Array | null, n: number, d: Float64Array, e: Float64Array): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        f += qlStep(z, n, d, e, l, m);
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return true;
}

/** One implicit shifted QL iteration on the block `l..m`; returns the shift applied. */
function qlStep(z: Float64Array | null, n: number, d: Float64Array, e: Float64Array, l: number, m: number): number {
  let g = d[l]!;
  let p = (d[l + 1]! - g) / (2 * e[l]!);
  let r = Math.hypot(p, 1);
  if (p < 0) r = -r;
  d[l] = e[l]! / (p + r);
  d[l + 1] = e[l]! * (p + r);
  const dl1 = d[l + 1]!;
  let h = g - d[l]!;
  for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
  const shift = h;
  p = d[m]!;
  let c = 1;
  let c2 = c;
  let c3 = c;
  let s = 0;
  let s2 = 0;
  const el1 = e[l + 1]!;
  for (let i = m - 1; i >= l; i--) {
    c3 = c2;
    c2 = c;
    s2 = s;
    g = c * e[i]!;
    h = c * p;
    r = Math.hypot(p, e[i]!);
    e[i + 1] = s * r;
    s = e[i]! / r;
    c = p / r;
    p = c * d[i]! - s * g;
    d[i + 1] = h + s * (c * g + s * d[i]!);
    if (!z) continue;
    const a = (i + 1) * n;
    const b = i * n;
    for (let k = 0; k < n; k++) {
      const hk = z[a + k]!;
      z[a + k] = s * z[b + k]! + c * hk;
      z[b + k] = c * z[b + k]! - s * hk;
    }
  }
  p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
  e[l] = s * p;
  d[l] = c * p;
  return shift;
}

/**
 * Eigen-decomposition of the symmetric row-major `n × n` matrix `a` (not modified).
 * Returns `null` if the QL iteration did not converge.
 * @internal
 */
export function tridiagonalQLEigen(a: Float64Array, n: number): EigenPairs | null {
  const z = Float64Array.from(a); // symmetric: column-major = row-major
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 1) return { values: Float64Array.of(a[0]!), vectors: Float64Array.of(1) };
  tridiagonalize(z, n, d, e, true);
  if (!ql(z, n, d, e)) return null;
  return { values: d, vectors: z };
}

/**
 * Eigenvalues only (unordered) of the symmetric row-major `n × n` matrix `a`
 * (not modified): no transform is accumulated or rotated, about a third of
 * {@link tridiagonalQLEigen}'s work. `null` if the QL iteration did not converge.
 * @internal
 */
export function tridiagonalQLEigenvalues(a: Float64Array, n: number): Float64Array | null {
  if (n === 1) return Float64Array.of(a[0]!);
  const z = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(z, n, d, e, false);
  return ql(null, n, d, e) ? d : null;
}
