/**
 * Private: RoIAlign on typed arrays, NHWC, torchvision's sampling rule
 * (`roi_align_kernel.cpp`): per roi the sample rows and columns are
 * precomputed once (bilinear corners and weights, separable), then each
 * output bin accumulates its samples over the contiguous channel vector.
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

/** Per-axis samples of one roi: `[bins · grid]` entries of low/high index and weights (0 weights when invalid). */
class AxisSamples {
  lo = new Int32Array(0);
  hi = new Int32Array(0);
  wl = new Float64Array(0);
  wh = new Float64Array(0);
  ok = new Uint8Array(0);
  grid = 0;

  fill(start: number, bin: number, bins: number, grid: number, size: number): void {
    const n = bins * grid;
    if (this.lo.length < n) {
      this.lo = new Int32Array(n);
      this.hi = new Int32Array(n);
      this.wl = new Float64Array(n);
      this.wh = new Float64Array(n);
      this.ok = new Uint8Array(n);
    }
    this.grid = grid;
    for (let p = 0; p < bins; p++) {
      for (let g = 0; g < grid; g++) {
        const s = p * grid + g;
        let v = start + p * bin + ((g + 0.5) * bin) / grid;
        if (v < -1 || v > size) {
          this.ok[s] = 0;
          continue;
        }
        if (v <= 0) v = 0;
        let lo = Math.floor(v);
        let hi: number;
        if (lo >= size - 1) {
          lo = hi = size - 1;
          v = lo;
        } else {
          hi = lo + 1;
        }
        const l = v - lo;
        this.ok[s] = 1;
        this.lo[s] = lo;
        this.hi[s] = hi;
        this.wl[s] = 1 - l;
        this.wh[s] = l;
      }
    }
  }
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

type Visit = (k: number, b: number, bin: number, inv: number, ys: AxisSamples, xs: AxisSamples, i: number, j: number) => void;

/** Calls `visit` for every output bin of every roi, with that roi's samples. */
function eachBin(rois: ArrayLike<number>, n: number, h: number, w: number, a: RoiAlignAttrs, visit: Visit): void {
  const ys = new AxisSamples();
  const xs = new AxisSamples();
  const K = rois.length / 5;
  for (let k = 0; k < K; k++) {
    const b = batchIndex('roiAlign', rois, k, n);
    checkRoiRow('roiAlign', rois, k);
    const g = roiGeometry(rois, k, a);
    ys.fill(g.sy, g.bh, a.pooledHeight, g.gh, h);
    xs.fill(g.sx, g.bw, a.pooledWidth, g.gw, w);
    const inv = 1 / Math.max(g.gh * g.gw, 1);
    for (let i = 0; i < a.pooledHeight; i++) {
      for (let j = 0; j < a.pooledWidth; j++) visit(k, b, (k * a.pooledHeight + i) * a.pooledWidth + j, inv, ys, xs, i, j);
    }
  }
}

/** Forward: `x` `[N, H, W, C]`, rois `[K, 5]` → `out` `[K, ph, pw, C]` (zeroed). */
export function roiAlignForward(x: ArrayLike<number>, shape: number[], rois: ArrayLike<number>, out: Float32Array, a: RoiAlignAttrs): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  eachBin(rois, n, h, w, a, (_k, b, bin, inv, ys, xs, i, j) => {
    const o = bin * c;
    const base = b * h;
    for (let iy = 0; iy < ys.grid; iy++) {
      const sy = i * ys.grid + iy;
      if (!ys.ok[sy]) continue;
      const r0 = (base + ys.lo[sy]!) * w;
      const r1 = (base + ys.hi[sy]!) * w;
      const hy = ys.wl[sy]! * inv;
      const ly = ys.wh[sy]! * inv;
      for (let ix = 0; ix < xs.grid; ix++) {
        const sx = j * xs.grid + ix;
        if (!xs.ok[sx]) continue;
        const hx = xs.wl[sx]!;
        const lx = xs.wh[sx]!;
        const w1 = hy * hx;
        const w2 = hy * lx;
        const w3 = ly * hx;
        const w4 = ly * lx;
        const p1 = (r0 + xs.lo[sx]!) * c;
        const p2 = (r0 + xs.hi[sx]!) * c;
        const p3 = (r1 + xs.lo[sx]!) * c;
        const p4 = (r1 + xs.hi[sx]!) * c;
        for (let ch = 0; ch < c; ch++) {
          out[o + ch] += w1 * x[p1 + ch]! + w2 * x[p2 + ch]! + w3 * x[p3 + ch]! + w4 * x[p4 + ch]!;
        }
      }
    }
  });
}

/** Backward: scatters `dy` `[K, ph, pw, C]` into `dx` `[N, H, W, C]` (zeroed) with the forward's weights. */
export function roiAlignBackward(dy: ArrayLike<number>, shape: number[], rois: ArrayLike<number>, dx: Float32Array, a: RoiAlignAttrs): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  eachBin(rois, n, h, w, a, (_k, b, bin, inv, ys, xs, i, j) => {
    const o = bin * c;
    const base = b * h;
    for (let iy = 0; iy < ys.grid; iy++) {
      const sy = i * ys.grid + iy;
      if (!ys.ok[sy]) continue;
      const r0 = (base + ys.lo[sy]!) * w;
      const r1 = (base + ys.hi[sy]!) * w;
      const hy = ys.wl[sy]! * inv;
      const ly = ys.wh[sy]! * inv;
      for (let ix = 0; ix < xs.grid; ix++) {
        const sx = j * xs.grid + ix;
        if (!xs.ok[sx]) continue;
        const hx = xs.wl[sx]!;
        const lx = xs.wh[sx]!;
        const w1 = hy * hx;
        const w2 = hy * lx;
        const w3 = ly * hx;
        const w4 = ly * lx;
        const p1 = (r0 + xs.lo[sx]!) * c;
        const p2 = (r0 + xs.hi[sx]!) * c;
        const p3 = (r1 + xs.lo[sx]!) * c;
        const p4 = (r1 + xs.hi[sx]!) * c;
        for (let ch = 0; ch < c; ch++) {
          const g = dy[o + ch]!;
          dx[p1 + ch] += w1 * g;
          dx[p2 + ch] += w2 * g;
          dx[p3 + ch] += w3 * g;
          dx[p4 + ch] += w4 * g;
        }
      }
    }
  });
}
