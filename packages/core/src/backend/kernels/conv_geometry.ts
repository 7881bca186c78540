import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Convolution geometry in 3-D form (a 2-D convolution is one with depth 1),
 * channels last: input `[n, d, h, w, c]`, output `[n, od, oh, ow, co]`,
 * filter `[fd, fh, fw, c, co]`.
 */
export interface ConvGeom {
  n: number; d: number; h: number; w: number; c: number;
  od: number; oh: number; ow: number; co: number;
  fd: number; fh: number; fw: number;
  sd: number; sh: number; sw: number;
  dd: number; dh: number; dw: number;
  pf: number; pt: number; pl: number;
}

/** {@link ConvGeom} of a 2-D convolution (channels last). */
export function geom2d(ci: backend_util.Conv2DInfo): ConvGeom {
  return {
    n: ci.batchSize, d: 1, h: ci.inHeight, w: ci.inWidth, c: ci.inChannels,
    od: 1, oh: ci.outHeight, ow: ci.outWidth, co: ci.outChannels,
    fd: 1, fh: ci.filterHeight, fw: ci.filterWidth,
    sd: 1, sh: ci.strideHeight, sw: ci.strideWidth,
    dd: 1, dh: ci.dilationHeight, dw: ci.dilationWidth,
    pf: 0, pt: ci.padInfo.top, pl: ci.padInfo.left,
  };
}

/** {@link ConvGeom} of a 3-D convolution (channels last). */
export function geom3d(ci: backend_util.Conv3DInfo): ConvGeom {
  return {
    n: ci.batchSize, d: ci.inDepth, h: ci.inHeight, w: ci.inWidth, c: ci.inChannels,
    od: ci.outDepth, oh: ci.outHeight, ow: ci.outWidth, co: ci.outChannels,
    fd: ci.filterDepth, fh: ci.filterHeight, fw: ci.filterWidth,
    sd: ci.strideDepth, sh: ci.strideHeight, sw: ci.strideWidth,
    dd: ci.dilationDepth, dh: ci.dilationHeight, dw: ci.dilationWidth,
    pf: ci.padInfo.front, pt: ci.padInfo.top, pl: ci.padInfo.left,
  };
}

/** Rows of the patch matrix: `n * od * oh * ow`. */
export const patchRows = (g: ConvGeom): number => g.n * g.od * g.oh * g.ow;
/** Columns of the patch matrix: `fd * fh * fw * c`. */
export const patchCols = (g: ConvGeom): number => g.fd * g.fh * g.fw * g.c;

/**
 * im2col: `p[m, k]` (row-major, `M x K`) holds input element
 * `(b, oz*sd + i*dd - pf, oy*sh + j*dh - pt, ox*sw + l*dw - pl, ch)` for
 * output position `m = (b, oz, oy, ox)` and filter tap `k = (i, j, l, ch)`,
 * zero outside the input. `p` and `x` may share a buffer (the wasm heap).
 */
export function im2col(x: Float32Array, xOff: number, g: ConvGeom, p: Float32Array, pOff: number): void {
  const { n, d, h, w, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  const rowLen = fw * c;
  const contiguous = dw === 1;
  // one buffer (the wasm heap): long runs go through copyWithin (a memmove)
  const memmove = x === p;
  let o = pOff;
  for (let b = 0; b < n; b++) {
    for (let oz = 0; oz < od; oz++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const x0 = ox * sw - pl;
          const inside = contiguous && x0 >= 0 && x0 + fw <= w;
          for (let i = 0; i < fd; i++) {
            const z = oz * sd + i * dd - pf;
            for (let j = 0; j < fh; j++) {
              const y = oy * sh + j * dh - pt;
              if (z < 0 || z >= d || y < 0 || y >= h) {
                p.fill(0, o, o + rowLen);
                o += rowLen;
                continue;
              }
              const rowBase = xOff + ((b * d + z) * h + y) * w * c;
              if (inside) {
                let s = rowBase + x0 * c;
                if (memmove && rowLen >= 16) {
                  p.copyWithin(o, s, s + rowLen);
                  o += rowLen;
                  continue;
                }
                const e = o + rowLen;
                while (o < e) p[o++] = x[s++]!;
                continue;
              }
              for (let l = 0; l < fw; l++) {
                const xx = x0 + l * dw;
                if (xx < 0 || xx >= w) {
                  p.fill(0, o, o + c);
                  o += c;
                } else {
                  let s = rowBase + xx * c;
                  if (memmove && c >= 16) {
                    p.copyWithin(o, s, s + c);
                    o += c;
                    continue;
                  }
                  const e = o + c;
                  while (o < e) p[o++] = x[s++]!;
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Transposed im2col with output positions ordered `(oz, oy, ox, b)`:
 * `pT[k, m]` (row-major, `K x M`) for `k = (i, j, l, ch)`, read from `xS`,
 * the input laid out `[c, d, h, w, n]`, so that every row is a few long
 * contiguous runs (`ow * n` elements at stride 1). `xS` and `pT` are one
 * buffer (the wasm heap), so runs are memmoves. The matching right operand
 * is dy laid out `[od, oh, ow, n, co]`.
 */
export function im2colTBatchLast(heap: Float32Array, xOff: number, g: ConvGeom, pOff: number): void {
  const { n, d, h, w, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  const rowSpan = ow * n;
  let o = pOff;
  for (let i = 0; i < fd; i++) {
    for (let j = 0; j < fh; j++) {
      for (let l = 0; l < fw; l++) {
        const xOffL = l * dw - pl;
        let lo = 0;
        while (lo < ow && lo * sw + xOffL < 0) lo++;
        let hi = ow;
        while (hi > lo && (hi - 1) * sw + xOffL >= w) hi--;
        for (let ch = 0; ch < c; ch++) {
          for (let oz = 0; oz < od; oz++) {
            const z = oz * sd + i * dd - pf;
            for (let oy = 0; oy < oh; oy++) {
              const y = oy * sh + j * dh - pt;
              if (z < 0 || z >= d || y < 0 || y >= h || lo >= hi) {
                heap.fill(0, o, o + rowSpan);
                o += rowSpan;
                continue;
              }
              const rowBase = xOff + ((ch * d + z) * h + y) * w * n;
              if (lo > 0) heap.fill(0, o, o + lo * n);
              if (sw === 1) {
                const s = rowBase + (lo + xOffL) * n;
                heap.copyWithin(o + lo * n, s, s + (hi - lo) * n);
              } else {
                for (let ox = lo; ox < hi; ox++) {
                  const s = rowBase + (ox * sw + xOffL) * n;
                  heap.copyWithin(o + ox * n, s, s + n);
                }
              }
              if (hi < ow) heap.fill(0, o + hi * n, o + rowSpan);
              o += rowSpan;
            }
          }
        }
      }
    }
  }
}

/**
 * col2im, the adjoint of {@link im2col}: adds `cols[m, k]` into `dx` (which
 * the caller zeroes) at the input element that {@link im2col} reads.
 */
export function col2im(cols: Float32Array, cOff: number, g: ConvGeom, dx: Float32Array, dxOff: number): void {
  const { n, d, h, w, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  const rowLen = fw * c;
  const contiguous = dw === 1;
  let o = cOff;
  for (let b = 0; b < n; b++) {
    for (let oz = 0; oz < od; oz++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const x0 = ox * sw - pl;
          const inside = contiguous && x0 >= 0 && x0 + fw <= w;
          for (let i = 0; i < fd; i++) {
            const z = oz * sd + i * dd - pf;
            for (let j = 0; j < fh; j++) {
              const y = oy * sh + j * dh - pt;
              if (z < 0 || z >= d || y < 0 || y >= h) {
                o += rowLen;
                continue;
              }
              const rowBase = dxOff + ((b * d + z) * h + y) * w * c;
              if (inside) {
                let s = rowBase + x0 * c;
                const e = o + rowLen;
                while (o < e) dx[s++] += cols[o++]!;
                continue;
              }
              for (let l = 0; l < fw; l++) {
                const xx = x0 + l * dw;
                if (xx < 0 || xx >= w) {
                  o += c;
                } else {
                  let s = rowBase + xx * c;
                  const e = o + c;
                  while (o < e) dx[s++] += cols[o++]!;
                }
              }
            }
          }
        }
      }
    }
  }
}
