import type { KernelFunc, ResizeBilinearAttrs, ResizeNearestNeighborAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/** tfjs's source-coordinate scale for one axis (as in its forward kernels). */
function ratio(inSize: number, outSize: number, alignCorners: boolean): number {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  return effIn / effOut;
}

/**
 * ResizeBilinearGrad: the exact adjoint of tfjs's ResizeBilinear forward
 * pass (same source coordinates and weights, halfPixelCenters included).
 * tfjs-backend-cpu's version returns a wrongly shaped gradient for
 * non-square inputs; both backends ignore halfPixelCenters.
 */
export function makeResizeBilinearGrad(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as ResizeBilinearAttrs;
    const [n, h, w, c] = images.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const io = tensorIO(backendName, args.backend);
    const dx = io.alloc([n, h, w, c], 'float32', true);
    const g = io.f32(dy), out = io.f32(dx);
    const rr = ratio(h, oh, alignCorners), cr = ratio(w, ow, alignCorners);
    const row0 = new Int32Array(oh), row1 = new Int32Array(oh), rowF = new Float64Array(oh);
    for (let r = 0; r < oh; r++) {
      const src = halfPixelCenters ? rr * (r + 0.5) - 0.5 : rr * r;
      const lo = Math.max(0, Math.floor(src));
      row0[r] = lo; row1[r] = Math.min(h - 1, Math.ceil(src)); rowF[r] = src - lo;
    }
    const col0 = new Int32Array(ow), col1 = new Int32Array(ow), colF = new Float64Array(ow);
    for (let q = 0; q < ow; q++) {
      const src = halfPixelCenters ? cr * (q + 0.5) - 0.5 : cr * q;
      const lo = Math.max(0, Math.floor(src));
      col0[q] = lo; col1[q] = Math.min(w - 1, Math.ceil(src)); colF[q] = src - lo;
    }
    let o = 0;
    for (let b = 0; b < n; b++) {
      for (let r = 0; r < oh; r++) {
        const top = (b * h + row0[r]!) * w, bot = (b * h + row1[r]!) * w, rf = rowF[r]!;
        for (let q = 0; q < ow; q++, o += c) {
          const cf = colF[q]!;
          const tl = (top + col0[q]!) * c, tr = (top + col1[q]!) * c, bl = (bot + col0[q]!) * c, br = (bot + col1[q]!) * c;
          const wtl = (1 - rf) * (1 - cf), wtr = (1 - rf) * cf, wbl = rf * (1 - cf), wbr = rf * cf;
          for (let ch = 0; ch < c; ch++) {
            const v = g[o + ch]!;
            out[tl + ch] += v * wtl;
            out[tr + ch] += v * wtr;
            out[bl + ch] += v * wbl;
            out[br + ch] += v * wbr;
          }
        }
      }
    }
    return dx;
  };
}

/**
 * ResizeNearestNeighborGrad: the exact adjoint of tfjs's forward pass.
 * tfjs-backend-cpu's version is wrong for batch or channels > 1; both
 * backends ignore halfPixelCenters.
 */
export function makeResizeNearestNeighborGrad(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as ResizeNearestNeighborAttrs;
    const [n, h, w, c] = images.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const io = tensorIO(backendName, args.backend);
    const dx = io.alloc([n, h, w, c], 'float32', true);
    const g = io.f32(dy), out = io.f32(dx);
    const rr = ratio(h, oh, alignCorners), cr = ratio(w, ow, alignCorners);
    const nearest = (frac: number, size: number): number => {
      let s = Math.min(size - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
      if (halfPixelCenters) s = Math.max(0, s);
      return s;
    };
    const rows = new Int32Array(oh), cols = new Int32Array(ow);
    for (let r = 0; r < oh; r++) rows[r] = nearest(halfPixelCenters ? rr * (r + 0.5) : rr * r, h);
    for (let q = 0; q < ow; q++) cols[q] = nearest(halfPixelCenters ? cr * (q + 0.5) : cr * q, w);
    let o = 0;
    for (let b = 0; b < n; b++) {
      for (let r = 0; r < oh; r++) {
        const rowBase = (b * h + rows[r]!) * w;
        for (let q = 0; q < ow; q++, o += c) {
          const base = (rowBase + cols[q]!) * c;
          for (let ch = 0; ch < c; ch++) out[base + ch] += g[o + ch]!;
        }
      }
    }
    return dx;
  };
}
