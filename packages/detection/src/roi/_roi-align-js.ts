/**
 * Private: RoIAlign on typed arrays, NHWC, with torchvision's sampling rule
 * (`roi_align_kernel.cpp`). The bilinear sampling is separable: per roi,
 * each output row `i` is a sparse weight vector over feature rows (the sum of
 * its samples' vertical weights / gh) and each output column `j` one over
 * feature columns (/ gw), so
 *
 *   out[i, j, :] = Σ_r Σ_c Ay[i, r] · Ax[j, c] · X[r, c, :]
 *
 * computed in two passes over contiguous channel vectors: first
 * `T[i, c, :] = Σ_r Ay[i, r] X[r, c, :]` for the columns any `Ax[j]` uses,
 * then `out[i, j, :] = Σ_c Ax[j, c] T[i, c, :]`. Samples that share pixels
 * (bins about a pixel wide, the usual case) are merged into one weight. The
 * backward pass is the transpose, with the same weights.
 */
import { batchIndex, checkRoiRow } from './_rois.js';

/** Attributes of the RoIAlign kernels. */
export interface RoiAlignAttrs {
  pooledHeight: number;
  pooledWidth: number;
  spatialScale: number;
  samplingRatio: number;
  aligned: boolean;
}

/** Geometry of roi `k`: start, bin size and sampling grid per axis. */
export function roiGeometry(rois: ArrayLike<number>, k: number, a: RoiAlignAttrs): { sy: number; sx: number; bh: number; bw: number; gh: number; gw: number } {
  const off = a.aligned ? 0.5 : 0;
  const s = a.spatialScale;
  const sx = rois[5 * k + 1]! * s - off;
  const sy = rois[5 * k + 2]! * s - off;
  let rw = rois[5 * k + 3]! * s - off - sx;
  let rh = rois[5 * k + 4]! * s - off - sy;
  if (!a.aligned) {
    rw = Math.max(rw, 1);
    rh = Math.max(rh, 1);
  }
  const bh = rh / a.pooledHeight;
  const bw = rw / a.pooledWidth;
  const gh = a.samplingRatio > 0 ? a.samplingRatio : Math.max(0, Math.ceil(rh / a.pooledHeight));
  const gw = a.samplingRatio > 0 ? a.samplingRatio : Math.max(0, Math.ceil(rw / a.pooledWidth));
  return { sy, sx, bh, bw, gh, gw };
}

/**
 * Sparse per-bin weights along one axis: bin `p` covers pixels
 * `start[p] .. start[p] + len[p] - 1` with weights `w[p·stride + t]`.
 */
class AxisWeights {
  start = new Int32Array(0);
  len = new Int32Array(0);
  w = new Float64Array(0);
  stride = 0;

  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  private frac = new Float64Array(0);

  /** torchvision's per-sample rule (`pre_calc`), samples of a bin summed, times `scale`. */
  fill(origin: number, bin: number, bins: number, grid: number, size: number, scale: number): void {
    // a bin's samples lie within one bin width: at most ceil(|bin|) + 2 pixels
    const stride = Math.min(size, Math.ceil(Math.abs(bin)) + 2);
    if (this.start.length < bins) {
      this.start = new Int32Array(bins);
      this.len = new Int32Array(bins);
    }
    if (this.w.length < bins * stride) this.w = new Float64Array(bins * stride);
    if (this.lo.length < grid) {
      this.lo = new Int32Array(grid);
      this.hi = new Int32Array(grid);
      this.frac = new Float64Array(grid);
    }
    this.stride = stride;
    this.w.fill(0, 0, bins * stride);
    for (let p = 0; p < bins; p++) {
      let first = size;
      let last = -1;
      let n = 0;
      for (let g = 0; g < grid; g++) {
        let v = origin + p * bin + ((g + 0.5) * bin) / grid;
        if (v < -1 || v > size) continue;
        if (v <= 0) v = 0;
        let lo = Math.floor(v);
        let hi: number;
        if (lo >= size - 1) {
          lo = hi = size - 1;
          v = lo;
        } else {
          hi = lo + 1;
        }
        this.lo[n] = lo;
        this.hi[n] = hi;
        this.frac[n++] = v - lo;
        if (lo < first) first = lo;
        if (hi > last) last = hi;
      }
      this.start[p] = n ? first : 0;
      this.len[p] = n ? last - first + 1 : 0;
      for (let t = 0; t < n; t++) {
        this.w[p * stride + this.lo[t]! - first] += (1 - this.frac[t]!) * scale;
        this.w[p * stride + this.hi[t]! - first] += this.frac[t]! * scale;
      }
    }
  }
}

/** Scratch shared by the passes over one roi. */
class Scratch {
  readonly ys = new AxisWeights();
  readonly xs = new AxisWeights();
  cols = new Int32Array(0); // feature columns used by the roi, ascending
  slot = new Int32Array(0); // column → its index in `cols`, or -1
  t = new Float64Array(0); // [ph, ncols, C]
  ncols = 0;

  /** Prepares roi `k`; returns false when it has no samples. */
  prepare(rois: ArrayLike<number>, k: number, w: number, h: number, c: number, a: RoiAlignAttrs): boolean {
    const g = roiGeometry(rois, k, a);
    const inv = g.gh * g.gw > 0 ? 1 / (g.gh * g.gw) : 0;
    this.ys.fill(g.sy, g.bh, a.pooledHeight, g.gh, h, inv);
    this.xs.fill(g.sx, g.bw, a.pooledWidth, g.gw, w, 1);
    if (this.slot.length < w) {
      this.slot = new Int32Array(w);
      this.cols = new Int32Array(w);
    }
    this.slot.fill(-1, 0, w);
    const xs = this.xs;
    for (let j = 0; j < a.pooledWidth; j++) {
      for (let t = 0; t < xs.len[j]!; t++) if (xs.w[j * xs.stride + t] !== 0) this.slot[xs.start[j]! + t] = 0;
    }
    let n = 0;
    for (let x = 0; x < w; x++) if (this.slot[x]! >= 0) this.slot[x] = n++, (this.cols[n - 1] = x);
    this.ncols = n;
    const need = a.pooledHeight * n * c;
    if (this.t.length < need) this.t = new Float64Array(need);
    this.t.fill(0, 0, need);
    return n > 0;
  }
}

/** Calls `f` for each roi with samples (`skip` for the others). */
function eachRoi(rois: ArrayLike<number>, shape: number[], a: RoiAlignAttrs, f: (k: number, b: number, s: Scratch) => void, skip?: (k: number) => void): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const s = new Scratch();
  const K = rois.length / 5;
  for (let k = 0; k < K; k++) {
    const b = batchIndex('roiAlign', rois, k, n);
    checkRoiRow('roiAlign', rois, k);
    if (s.prepare(rois, k, w, h, c, a)) f(k, b, s);
    else skip?.(k);
  }
}

/**
 * `dst[d + ch] = Σ_u wt[u] · src[off[u] + ch]` over the channels, `n` terms.
 * Four terms per pass keep the partial sum in registers (one store per
 * element instead of one read-modify-write per term).
 */
function weightedSum(dst: Float32Array | Float64Array, d: number, src: Float32Array | Float64Array, off: Int32Array, wt: Float64Array, n: number, c: number): void {
  if (n === 0) {
    dst.fill(0, d, d + c);
    return;
  }
  for (let u = 0; u < n; u += 4) {
    const m = Math.min(n - u, 4);
    const add = u > 0;
    const w0 = wt[u]!;
    const s0 = off[u]!;
    if (m === 1) {
      if (add) for (let ch = 0; ch < c; ch++) dst[d + ch] += w0 * src[s0 + ch]!;
      else for (let ch = 0; ch < c; ch++) dst[d + ch] = w0 * src[s0 + ch]!;
      continue;
    }
    const w1 = wt[u + 1]!;
    const s1 = off[u + 1]!;
    if (m === 2) {
      if (add) for (let ch = 0; ch < c; ch++) dst[d + ch] += w0 * src[s0 + ch]! + w1 * src[s1 + ch]!;
      else for (let ch = 0; ch < c; ch++) dst[d + ch] = w0 * src[s0 + ch]! + w1 * src[s1 + ch]!;
      continue;
    }
    const w2 = wt[u + 2]!;
    const s2 = off[u + 2]!;
    if (m === 3) {
      if (add) for (let ch = 0; ch < c; ch++) dst[d + ch] += w0 * src[s0 + ch]! + w1 * src[s1 + ch]! + w2 * src[s2 + ch]!;
      else for (let ch = 0; ch < c; ch++) dst[d + ch] = w0 * src[s0 + ch]! + w1 * src[s1 + ch]! + w2 * src[s2 + ch]!;
      continue;
    }
    const w3 = wt[u + 3]!;
    const s3 = off[u + 3]!;
    if (add) for (let ch = 0; ch < c; ch++) dst[d + ch] += w0 * src[s0 + ch]! + w1 * src[s1 + ch]! + w2 * src[s2 + ch]! + w3 * src[s3 + ch]!;
    else for (let ch = 0; ch < c; ch++) dst[d + ch] = w0 * src[s0 + ch]! + w1 * src[s1 + ch]! + w2 * src[s2 + ch]! + w3 * src[s3 + ch]!;
  }
}

/** The nonzero terms of bin `p` of `ax`: offsets `base + index·step` (or via `slot`) into `off`, weights into `wt`; returns the count. */
function terms(ax: AxisWeights, p: number, base: number, step: number, slot: Int32Array | null, off: Int32Array, wt: Float64Array): number {
  let n = 0;
  for (let u = 0; u < ax.len[p]!; u++) {
    const v = ax.w[p * ax.stride + u]!;
    if (v === 0) continue;
    const idx = ax.start[p]! + u;
    off[n] = base + (slot ? slot[idx]! : idx) * step;
    wt[n++] = v;
  }
  return n;
}

/** Forward: `x` `[N, H, W, C]`, rois `[K, 5]` → `out` `[K, ph, pw, C]` (every element written). */
export function roiAlignForward(x: Float32Array, shape: number[], rois: ArrayLike<number>, out: Float32Array, a: RoiAlignAttrs): void {
  const [, h, w, c] = shape as [number, number, number, number];
  const ph = a.pooledHeight;
  const pw = a.pooledWidth;
  let off = new Int32Array(8);
  let wt = new Float64Array(8);
  eachRoi(rois, shape, a, (k, b, s) => {
    const { ys, xs, t, ncols, cols, slot } = s;
    if (off.length < Math.max(ys.stride, xs.stride)) {
      off = new Int32Array(Math.max(ys.stride, xs.stride));
      wt = new Float64Array(off.length);
    }
    // pass 1: T[i, ci, :] = Σ_r Ay[i, r] X[b, r, cols[ci], :]
    for (let i = 0; i < ph; i++) {
      const n = terms(ys, i, b * h * w * c, w * c, null, off, wt);
      for (let ci = 0; ci < ncols; ci++) {
        const col = cols[ci]! * c;
        for (let u = 0; u < n; u++) off[u] += col;
        weightedSum(t, (i * ncols + ci) * c, x, off, wt, n, c);
        for (let u = 0; u < n; u++) off[u] -= col;
      }
    }
    // pass 2: out[k, i, j, :] = Σ_c Ax[j, c] T[i, c, :]
    for (let j = 0; j < pw; j++) {
      const n = terms(xs, j, 0, c, slot, off, wt);
      for (let i = 0; i < ph; i++) {
        const row = i * ncols * c;
        for (let u = 0; u < n; u++) off[u] += row;
        weightedSum(out, ((k * ph + i) * pw + j) * c, t, off, wt, n, c);
        for (let u = 0; u < n; u++) off[u] -= row;
      }
    }
  }, (k) => out.fill(0, k * ph * pw * c, (k + 1) * ph * pw * c));
}

/** Backward: scatters `dy` `[K, ph, pw, C]` into `dx` `[N, H, W, C]` (zeroed) with the forward's weights. */
export function roiAlignBackward(dy: Float32Array, shape: number[], rois: ArrayLike<number>, dx: Float32Array, a: RoiAlignAttrs): void {
  const [, h, w, c] = shape as [number, number, number, number];
  const ph = a.pooledHeight;
  const pw = a.pooledWidth;
  eachRoi(rois, shape, a, (k, b, s) => {
    const { ys, xs, t, ncols, cols, slot } = s;
    // dT[i, c, :] = Σ_j Ax[j, c] dy[k, i, j, :]
    for (let i = 0; i < ph; i++) {
      for (let j = 0; j < pw; j++) {
        const src = ((k * ph + i) * pw + j) * c;
        for (let u = 0; u < xs.len[j]!; u++) {
          const wc = xs.w[j * xs.stride + u]!;
          if (wc === 0) continue;
          const dst = (i * ncols + slot[xs.start[j]! + u]!) * c;
          for (let ch = 0; ch < c; ch++) t[dst + ch] += wc * dy[src + ch]!;
        }
      }
    }
    // dX[b, r, cols[ci], :] += Σ_i Ay[i, r] dT[i, ci, :]
    for (let i = 0; i < ph; i++) {
      for (let u = 0; u < ys.len[i]!; u++) {
        const wr = ys.w[i * ys.stride + u]!;
        if (wr === 0) continue;
        const row = (b * h + ys.start[i]! + u) * w;
        for (let ci = 0; ci < ncols; ci++) {
          const dst = (row + cols[ci]!) * c;
          const src = (i * ncols + ci) * c;
          for (let ch = 0; ch < c; ch++) dx[dst + ch] += wr * t[src + ch]!;
        }
      }
    }
  });
}
