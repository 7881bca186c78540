/**
 * Float64 linear algebra for FID: running means/covariances, Cholesky, and the
 * trace of a matrix square root on top of @fovea/core's symmetric eigensolver
 * (`eighArrays`). Matrices are row-major `Float64Array`s of `n * n`.
 */
import { eighArrays } from '@fovea/core';

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
    const n0 = this.n;
    const n = n0 + rows;
    const w = (n0 * rows) / n;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = mb[j]! - this.mean[j]!;
    // Chan et al.: M2 += M2_batch + δδᵀ · n0·nb / n
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) this.scatter[a * d + b]! += w * delta[a]! * delta[b]!;
    // the batch's centred scatter, CHUNK samples at a time, transposed to [D, CHUNK] for contiguous dots
    const CHUNK = 256;
    const xt = new Float64Array(d * Math.min(rows, CHUNK));
    for (let r0 = 0; r0 < rows; r0 += CHUNK) {
      const m = Math.min(CHUNK, rows - r0);
      for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) xt[j * m + i] = data[(r0 + i) * d + j]! - mb[j]!;
      syrkUpper(xt, d, m, this.scatter);
    }
    // mirror the upper triangle
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) this.scatter[b * d + a] = this.scatter[a * d + b]!;
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

/**
 * `out[a][b] += Σ_i xt[a][i]·xt[b][i]` for `b ≥ a` (upper triangle), `xt`
 * being `[D, m]` row-major: 4×4 register blocks, so each loaded value
 * feeds four products.
 */
function syrkUpper(xt: Float64Array, d: number, m: number, out: Float64Array): void {
  for (let a = 0; a < d; a += 4) {
    const a1 = Math.min(a + 4, d);
    for (let b = a; b < d; b += 4) {
      const b1 = Math.min(b + 4, d);
      if (a1 - a === 4 && b1 - b === 4) {
        block4(xt, m, a, b, d, out);
        continue;
      }
      for (let p = a; p < a1; p++) {
        for (let q = Math.max(b, p); q < b1; q++) {
          let acc = 0;
          for (let i = 0; i < m; i++) acc += xt[p * m + i]! * xt[q * m + i]!;
          out[p * d + q]! += acc;
        }
      }
    }
  }
}

/** One 4×4 block of {@link syrkUpper} (on a diagonal block, the entries below the diagonal are computed and dropped). */
function block4(xt: Float64Array, m: number, a: number, b: number, d: number, out: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0; // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0; // prettier-ignore
  const p0 = a * m, p1 = p0 + m, p2 = p1 + m, p3 = p2 + m; // prettier-ignore
  const q0 = b * m, q1 = q0 + m, q2 = q1 + m, q3 = q2 + m; // prettier-ignore
  for (let i = 0; i < m; i++) {
    const x0 = xt[p0 + i]!, x1 = xt[p1 + i]!, x2 = xt[p2 + i]!, x3 = xt[p3 + i]!; // prettier-ignore
    const y0 = xt[q0 + i]!, y1 = xt[q1 + i]!, y2 = xt[q2 + i]!, y3 = xt[q3 + i]!; // prettier-ignore
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3; // prettier-ignore
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3; // prettier-ignore
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3; // prettier-ignore
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3; // prettier-ignore
  }
  const o0 = a * d + b, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d; // prettier-ignore
  // on a diagonal block (a = b) only the upper entries are kept; the mirror step rewrites the rest
  out[o0]! += c00; out[o0 + 1]! += c01; out[o0 + 2]! += c02; out[o0 + 3]! += c03; // prettier-ignore
  out[o1 + 1]! += c11; out[o1 + 2]! += c12; out[o1 + 3]! += c13; // prettier-ignore
  out[o2 + 2]! += c22; out[o2 + 3]! += c23; out[o3 + 3]! += c33; // prettier-ignore
  if (b !== a) {
    out[o1]! += c10; out[o2]! += c20; out[o2 + 1]! += c21; // prettier-ignore
    out[o3]! += c30; out[o3 + 1]! += c31; out[o3 + 2]! += c32; // prettier-ignore
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

/** `out[j][i] = Σ_{k ≥ k0(j)} a[i][k]·b[j][k]` for all i, j: rows of both contiguous, four `j` at a time. */
function dotsByRows(a: Float64Array, b: Float64Array, n: number, start: (j: number) => number, out: Float64Array, sym: boolean): void {
  for (let j = 0; j < n; j += 4) {
    const j1 = Math.min(j + 4, n);
    const k0 = start(j); // the smallest start of the block (start is non-decreasing)
    for (let i = sym ? j : 0; i < n; i++) {
      const ra = i * n;
      if (j1 - j === 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
        const r0 = j * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n; // prettier-ignore
        for (let k = k0; k < n; k++) {
          const x = a[ra + k]!;
          s0 += x * b[r0 + k]!;
          s1 += x * b[r1 + k]!;
          s2 += x * b[r2 + k]!;
          s3 += x * b[r3 + k]!;
        }
        out[j * n + i] = s0;
        out[(j + 1) * n + i] = s1;
        out[(j + 2) * n + i] = s2;
        out[(j + 3) * n + i] = s3;
      } else {
        for (let jj = j; jj < j1; jj++) {
          let acc = 0;
          for (let k = k0; k < n; k++) acc += a[ra + k]! * b[jj * n + k]!;
          out[jj * n + i] = acc;
        }
      }
    }
  }
}

/**
 * `Bᵀ S B` for symmetric `S`; `lower` says `B` is lower-triangular, whose
 * zero half is skipped (the zeros it still reads inside a block of four add
 * nothing). Both products are contiguous dot products.
 * @internal
 */
export function congruence(s: Float64Array, b: Float64Array, n: number, lower: boolean): Float64Array {
  const bt = transpose(b, n); // bt[j][k] = b[k][j]; zero for k < j when lower
  // yt[j][i] = (S B)[i][j] = Σ_k S[i][k] bt[j][k]
  const yt = new Float64Array(n * n);
  dotsByRows(s, bt, n, (j) => (lower ? j : 0), yt, false);
  // c[j][i] = (Bᵀ Y)[i][j] = Σ_k bt[i][k] yt[j][k], needed for i ≥ j only (symmetric)
  const c = new Float64Array(n * n);
  dotsByRows(bt, yt, n, () => 0, c, true);
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) c[i * n + j] = c[j * n + i]!;
  return c;
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
    const { values, vectors } = eighArrays(s1, n, { method: 'ql', op: 'frechetDistance' }); // eigenvectors as rows
    b = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const r = Math.sqrt(Math.max(values[j]!, 0));
      for (let i = 0; i < n; i++) b[i * n + j] = vectors![j * n + i]! * r; // B = V Λ^½, eigenvector j as column j
    }
    lower = false;
  }
  const c = congruence(s2, b, n, lower);
  const { values } = eighArrays(c, n, { method: 'ql', vectors: false, op: 'frechetDistance' });
  let tr = 0;
  for (let i = 0; i < n; i++) tr += Math.sqrt(Math.max(values[i]!, 0));
  return tr;
}
