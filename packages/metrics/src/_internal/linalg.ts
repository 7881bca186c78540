/**
 * Float64 linear algebra for FID: running means/covariances, Cholesky, and a
 * symmetric eigensolver (Householder tridiagonalisation + implicit QL, the
 * EISPACK tred2/tql2 algorithms as in JAMA). Matrices are row-major
 * `Float64Array`s of `n * n`.
 */

/** Running mean and centred scatter matrix, merged batch by batch (Chan et al.). @internal */
export class Moments {
  n = 0;
  readonly mean: Float64Array;
  /** `[D, D]` Σ (x − mean)(x − mean)ᵀ. */
  readonly scatter: Float64Array;

  constructor(readonly d: number) {
    this.mean = new Float64Array(d);
    this.scatter = new Float64Array(d * d);
  }

  /** Adds `rows` samples of `data` (`[rows, D]` row-major). */
  add(data: ArrayLike<number>, rows: number): void {
    if (rows === 0) return;
    const d = this.d;
    const mb = new Float64Array(d);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) mb[j]! += data[i * d + j]!;
    for (let j = 0; j < d; j++) mb[j]! /= rows;
    // centred batch, transposed to [D, rows] so each scatter entry is a contiguous dot product
    const xt = new Float64Array(d * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) xt[j * rows + i] = data[i * d + j]! - mb[j]!;
    const n0 = this.n;
    const n = n0 + rows;
    const w = (n0 * rows) / n;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = mb[j]! - this.mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = a * rows;
      for (let b = a; b < d; b++) {
        const rb = b * rows;
        let s = 0;
        for (let i = 0; i < rows; i++) s += xt[ra + i]! * xt[rb + i]!;
        s += w * delta[a]! * delta[b]!;
        this.scatter[a * d + b]! += s;
        if (b !== a) this.scatter[b * d + a]! += s;
      }
    }
    for (let j = 0; j < d; j++) this.mean[j]! += (delta[j]! * rows) / n;
    this.n = n;
  }

  /** Unbiased covariance (`np.cov(rowvar=False)`, divides by `n − 1`). */
  covariance(): Float64Array {
    const c = new Float64Array(this.scatter.length);
    for (let i = 0; i < c.length; i++) c[i] = this.scatter[i]! / (this.n - 1);
    return c;
  }

  /** Forgets everything. */
  clear(): void {
    this.n = 0;
    this.mean.fill(0);
    this.scatter.fill(0);
  }
}

/** Lower Cholesky factor `L` of a symmetric matrix (`A = L Lᵀ`), or null if not positive definite. @internal */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]!;
    for (let k = 0; k < j; k++) s -= l[j * n + k]! * l[j * n + k]!;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j]!;
      for (let k = 0; k < j; k++) t -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = t / ljj;
    }
  }
  return l;
}

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}

/**
 * `Bᵀ S B` for symmetric `S`; `lower` says `B` is lower-triangular (skips
 * the zero half). Both products are contiguous dot products.
 * @internal
 */
export function congruence(s: Float64Array, b: Float64Array, n: number, lower: boolean): Float64Array {
  const bt = transpose(b, n); // bt[j][k] = b[k][j]
  // y = S B, stored transposed: yt[j][i] = Σ_k S[i][k] B[k][j]
  const yt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const k0 = lower ? j : 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = k0; k < n; k++) acc += s[i * n + k]! * bt[j * n + k]!;
      yt[j * n + i] = acc;
    }
  }
  // c[i][j] = Σ_k B[k][i] y[k][j] = Σ_k bt[i][k] yt[j][k]
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const k0 = lower ? i : 0;
    for (let j = i; j < n; j++) {
      let acc = 0;
      for (let k = k0; k < n; k++) acc += bt[i * n + k]! * yt[j * n + k]!;
      c[i * n + j] = acc;
      c[j * n + i] = acc;
    }
  }
  return c;
}

/**
 * Householder reduction of a symmetric matrix to tridiagonal form (tred2).
 * With `v`, the orthogonal transform is accumulated there; without, only
 * the diagonal `d` and sub-diagonal `e` are produced.
 */
function tred2(a: Float64Array, n: number, d: Float64Array, e: Float64Array, accumulate: boolean): void {
  const V = a; // works in place on the lower triangle
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
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
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k]! += V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (!accumulate) {
    for (let i = 0; i < n; i++) d[i] = V[i * n + i]!;
    e[0] = 0;
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (tql2); rotates the columns of `v` when given. */
function tql2(n: number, d: Float64Array, e: Float64Array, V: Float64Array | null): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('symmetric eigensolver: no convergence');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
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
          if (V) {
            for (let k = 0; k < n; k++) {
              h = V[k * n + i + 1]!;
              V[k * n + i + 1] = s * V[k * n + i]! + c * h;
              V[k * n + i] = c * V[k * n + i]! - s * h;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/**
 * Eigenvalues (and, with `vectors`, eigenvectors as the columns of the
 * returned `[n, n]` matrix) of a symmetric matrix. `a` is not modified.
 * @internal
 */
export function symmetricEigen(a: Float64Array, n: number, vectors: boolean): { values: Float64Array; vectors: Float64Array | null } {
  const d = new Float64Array(n);
  if (n === 0) return { values: d, vectors: vectors ? new Float64Array(0) : null };
  const e = new Float64Array(n);
  const V = Float64Array.from(a);
  tred2(V, n, d, e, vectors);
  tql2(n, d, e, vectors ? V : null);
  return { values: d, vectors: vectors ? V : null };
}

/**
 * `tr(sqrtm(S1 S2))` for symmetric positive semi-definite `S1`, `S2`: the
 * sum of the square roots of the eigenvalues of `S1 S2`, computed as those
 * of the symmetric `Bᵀ S2 B` where `S1 = B Bᵀ` (Cholesky, or `V Λ^½` from an
 * eigen-decomposition when `S1` is singular). Tiny negative eigenvalues from
 * rounding count as 0 (the real part of scipy's `sqrtm`).
 * @internal
 */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, n: number): number {
  let b = cholesky(s1, n);
  let lower = true;
  if (!b) {
    const { values, vectors } = symmetricEigen(s1, n, true);
    b = vectors!;
    for (let j = 0; j < n; j++) {
      const r = Math.sqrt(Math.max(values[j]!, 0));
      for (let i = 0; i < n; i++) b[i * n + j]! *= r;
    }
    lower = false;
  }
  const c = congruence(s2, b, n, lower);
  const { values } = symmetricEigen(c, n, false);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += Math.sqrt(Math.max(values[i]!, 0));
  return tr;
}
