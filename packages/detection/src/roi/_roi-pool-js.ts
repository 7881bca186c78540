/**
 * Private: RoIPool on typed arrays, NHWC, torchvision's rule
 * (`roi_pool_kernel.cpp`): rounded roi corners, float bin edges floored /
 * ceiled and clamped to the map, max over the bin (first arg-max in
 * row-major order), 0 for an empty bin.
 */
import { batchIndex, checkRoiRow } from './_rois.js';

/** Attributes of the RoIPool kernels. */
export interface RoiPoolAttrs {
  pooledHeight: number;
  pooledWidth: number;
  spatialScale: number;
}

/** C's `round`: half away from zero. */
export function cRound(v: number): number {
  return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
}

const FLT_MAX = 3.4028234663852886e38;

/**
 * Forward: `x` `[N, H, W, C]`, rois `[K, 5]` → `out` `[K, ph, pw, C]` and
 * `arg` (flat NHWC index of each maximum into `x`, -1 for empty bins).
 */
export function roiPoolForward(x: ArrayLike<number>, shape: number[], rois: ArrayLike<number>, out: Float32Array, arg: Int32Array, a: RoiPoolAttrs): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const ph = a.pooledHeight;
  const pw = a.pooledWidth;
  const s = a.spatialScale;
  const K = rois.length / 5;
  const best = new Float64Array(c);
  for (let k = 0; k < K; k++) {
    const b = batchIndex('roiPool', rois, k, n);
    checkRoiRow('roiPool', rois, k);
    const xs = cRound(rois[5 * k + 1]! * s);
    const ys = cRound(rois[5 * k + 2]! * s);
    const xe = cRound(rois[5 * k + 3]! * s);
    const ye = cRound(rois[5 * k + 4]! * s);
    const bh = Math.max(ye - ys + 1, 1) / ph;
    const bw = Math.max(xe - xs + 1, 1) / pw;
    for (let i = 0; i < ph; i++) {
      const h0 = Math.min(Math.max(Math.floor(i * bh) + ys, 0), h);
      const h1 = Math.min(Math.max(Math.ceil((i + 1) * bh) + ys, 0), h);
      for (let j = 0; j < pw; j++) {
        const w0 = Math.min(Math.max(Math.floor(j * bw) + xs, 0), w);
        const w1 = Math.min(Math.max(Math.ceil((j + 1) * bw) + xs, 0), w);
        const o = ((k * ph + i) * pw + j) * c;
        const empty = h1 <= h0 || w1 <= w0;
        best.fill(empty ? 0 : -FLT_MAX);
        for (let ch = 0; ch < c; ch++) arg[o + ch] = -1;
        for (let y = h0; y < h1; y++) {
          for (let xx = w0; xx < w1; xx++) {
            const p = ((b * h + y) * w + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[p + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                arg[o + ch] = p + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) out[o + ch] = best[ch]!;
      }
    }
  }
}

/** Backward: `dx[arg] += dy` for every non-empty bin. */
export function roiPoolBackward(dy: ArrayLike<number>, arg: ArrayLike<number>, dx: Float32Array): void {
  for (let t = 0; t < arg.length; t++) {
    const p = arg[t]!;
    if (p >= 0) dx[p] += dy[t]!;
  }
}
