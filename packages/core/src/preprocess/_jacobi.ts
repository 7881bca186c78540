/**
 * Cyclic Jacobi eigenvalue algorithm for a dense symmetric matrix (float64, in JS).
 * Each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal
 * mass is negligible. Very accurate and simple; O(D³) per sweep with ~6–12 sweeps,
 * so it is used for small matrices (see `eigh`'s `method: 'auto'`).
 */

/** Eigenpairs in no particular order: `values[i]` with eigenvector row `vectors[i·n … i·n + n)`. @internal */
export interface EigenPairs {
  values: Float64Array;
  vectors: Float64Array;
}

/** Rotates rows `p`, `q` of a row-major `n × n` matrix by `(c, s)`. */
function rotateRows(m: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  const pn = p * n;
  const qn = q * n;
  for (let k = 0; k < n; k++) {
    const x = m[pn + k]!;
    const y = m[qn + k]!;
    m[pn + k] = c * x - s * y;
    m[qn + k] = s * x + c * y;
  }
}

/** Rotates columns `p`, `q` of a row-major `n × n` matrix by `(c, s)`. */
function rotateCols(m: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const kn = k * n;
    const x = m[kn + p]!;
    const y = m[kn + q]!;
    m[kn + p] = c * x - s * y;
    m[kn + q] = s * x + c * y;
  }
}

function offDiagonal(a: Float64Array, n: number): { off: number; total: number } {
  let off = 0;
  let total = 0;
  for (let p = 0; p < n; p++) {
    total += a[p * n + p]! ** 2;
    for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
  }
  return { off, total: total + 2 * off };
}

/**
 * Eigen-decomposition of the symmetric row-major `n × n` matrix `a` (not modified)
 * by cyclic Jacobi rotations. Returns `null` if it has not converged after `maxSweeps`.
 * @internal
 */
export function jacobiEigen(a: Float64Array, n: number, maxSweeps = 100): EigenPairs | null {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n); // rows: eigenvectors (V transposed)
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    const { off, total } = offDiagonal(m, n);
    if (off === 0 || off <= 1e-32 * total) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
      return { values, vectors: v };
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        // skip pairs already negligible next to their diagonal entries
        if (sweep > 3 && Math.abs(app) + 1e3 * Math.abs(apq) === Math.abs(app) && Math.abs(aqq) + 1e3 * Math.abs(apq) === Math.abs(aqq)) {
          m[p * n + q] = 0;
          m[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotateRows(m, n, p, q, c, s); // m ← Jᵀ m
        rotateCols(m, n, p, q, c, s); // m ← m J
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        rotateRows(v, n, p, q, c, s); // rows of v are the columns of V = Π J
      }
    }
  }
  return null;
}
