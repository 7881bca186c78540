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

/** The integer key of -FLT_MAX (the start of a non-empty bin's max, as torchvision). */
const NEG_FLT_MAX_KEY = (() => {
  const f = new Float32Array([-3.4028234663852886e38]);
  const i = new Int32Array(f.buffer)[0]!;
  return i ^ ((i >> 31) & 0x7fffffff);
})();
/** The bits of -0 as an int32. */
const MINUS_ZERO = -2147483648;

/**
 * Forward: `x` `[N, H, W, C]`, rois `[K, 5]` → `out` `[K, ph, pw, C]` and
 * `arg` (flat NHWC index of each maximum into `x`, -1 for empty bins).
 */
export function roiPoolForward(x: Float32Array, shape: number[], rois: ArrayLike<number>, out: Float32Array, arg: Int32Array, a: RoiPoolAttrs): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const xi = new Int32Array(x.buffer, x.byteOffset, x.length);
  const outi = new Int32Array(out.buffer, out.byteOffset, out.length);
  const ph = a.pooledHeight;
  const pw = a.pooledWidth;
  const s = a.spatialScale;
  const K = rois.length / 5;
  let pix = new Int32Array(64); // NHWC offsets of the bin's pixels, row-major
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
        const np = h1 > h0 && w1 > w0 ? (h1 - h0) * (w1 - w0) : 0;
        if (np === 0) {
          out.fill(0, o, o + c);
          arg.fill(-1, o, o + c);
          continue;
        }
        if (pix.length < np) pix = new Int32Array(2 * np);
        let q = 0;
        for (let y = h0; y < h1; y++) for (let xx = w0; xx < w1; xx++) pix[q++] = ((b * h + y) * w + xx) * c;
        // channel outer, pixels inner, branch-free on order-preserving integer keys of the floats
        // (a data-dependent branch per element costs more than the comparison itself)
        for (let ch = 0; ch < c; ch++) {
          let best = NEG_FLT_MAX_KEY;
          let at = -1;
          for (let t = 0; t < np; t++) {
            const idx = pix[t]! + ch;
            const bits = xi[idx]! & ~(((xi[idx] === MINUS_ZERO) as unknown as number) << 31); // -0 ranks as +0
            const key = bits ^ ((bits >> 31) & 0x7fffffff);
            const take = -((best < key) as unknown as number); // all ones where strictly greater: the first max wins
            best ^= (best ^ key) & take;
            at ^= (at ^ idx) & take;
          }
          outi[o + ch] = best ^ ((best >> 31) & 0x7fffffff);
          arg[o + ch] = at;
        }
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
