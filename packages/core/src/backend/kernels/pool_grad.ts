import { backend_util } from '@tensorflow/tfjs-core';
import type { AvgPool3DGradAttrs, AvgPoolGradAttrs, KernelFunc, MaxPool3DGradAttrs, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';
import { geom2d, geom3d, type ConvGeom } from './conv_geometry.js';

let windowScratch = new Int32Array(0);

/**
 * Max-pool gradient: each dy goes to the first maximum of its window in scan
 * order (the element tfjs's and TensorFlow's forward pass picked).
 */
function maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, g: ConvGeom): void {
  const { n, d, h, w, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  if (fd === 1 && d === 1 && fh === 2 && fw === 2 && sh === 2 && sw === 2 && dh === 1 && dw === 1 && pt === 0 && pl === 0) {
    maxPoolGrad2x2(x, dy, dx, g);
    return;
  }
  if (windowScratch.length < fd * fh * fw) windowScratch = new Int32Array(fd * fh * fw);
  const win = windowScratch;
  dx.fill(0);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oz = 0; oz < od; oz++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++, o += c) {
          let nw = 0;
          for (let i = 0; i < fd; i++) {
            const z = oz * sd + i * dd - pf;
            if (z < 0 || z >= d) continue;
            for (let j = 0; j < fh; j++) {
              const y = oy * sh + j * dh - pt;
              if (y < 0 || y >= h) continue;
              for (let l = 0; l < fw; l++) {
                const xx = ox * sw + l * dw - pl;
                if (xx < 0 || xx >= w) continue;
                win[nw++] = (((b * d + z) * h + y) * w + xx) * c;
              }
            }
          }
          if (nw === 0) continue;
          const first = win[0]!;
          for (let ch = 0; ch < c; ch++) {
            let at = first + ch;
            let best = x[at]!;
            for (let t = 1; t < nw; t++) {
              const idx = win[t]! + ch;
              const v = x[idx]!;
              if (v > best) { best = v; at = idx; }
            }
            dx[at] += dy[o + ch]!;
          }
        }
      }
    }
  }
}

/** 2x2 windows at stride 2 (tiling, no padding): each input element is written once. */
function maxPoolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, g: ConvGeom): void {
  const { n, h, w, c, oh, ow } = g;
  if (oh * 2 !== h || ow * 2 !== w) dx.fill(0);
  const rowStride = w * c;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o += c) {
        const b0 = ((b * h + 2 * oy) * w + 2 * ox) * c, b1 = b0 + c, b2 = b0 + rowStride, b3 = b2 + c;
        for (let ch = 0; ch < c; ch++) {
          const x0 = x[b0 + ch]!, x1 = x[b1 + ch]!, x2 = x[b2 + ch]!, x3 = x[b3 + ch]!, gv = dy[o + ch]!;
          let m = x0, s = 0;
          if (x1 > m) { m = x1; s = 1; }
          if (x2 > m) { m = x2; s = 2; }
          if (x3 > m) s = 3;
          dx[b0 + ch] = s === 0 ? gv : 0;
          dx[b1 + ch] = s === 1 ? gv : 0;
          dx[b2 + ch] = s === 2 ? gv : 0;
          dx[b3 + ch] = s === 3 ? gv : 0;
        }
      }
    }
  }
}

/** Average-pool gradient: dy / (number of input elements in the window), the forward pass's divisor. */
function avgPoolGrad(dy: Float32Array, dx: Float32Array, g: ConvGeom): void {
  const { n, d, h, w, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  dx.fill(0);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oz = 0; oz < od; oz++) {
      const z0 = oz * sd - pf;
      let nz = 0;
      for (let i = 0; i < fd; i++) { const z = z0 + i * dd; if (z >= 0 && z < d) nz++; }
      for (let oy = 0; oy < oh; oy++) {
        const y0 = oy * sh - pt;
        let ny = 0;
        for (let j = 0; j < fh; j++) { const y = y0 + j * dh; if (y >= 0 && y < h) ny++; }
        for (let ox = 0; ox < ow; ox++, o += c) {
          const x0 = ox * sw - pl;
          let nx = 0;
          for (let l = 0; l < fw; l++) { const xx = x0 + l * dw; if (xx >= 0 && xx < w) nx++; }
          const count = nz * ny * nx;
          if (count === 0) continue;
          const scale = 1 / count;
          for (let i = 0; i < fd; i++) {
            const z = z0 + i * dd;
            if (z < 0 || z >= d) continue;
            for (let j = 0; j < fh; j++) {
              const y = y0 + j * dh;
              if (y < 0 || y >= h) continue;
              for (let l = 0; l < fw; l++) {
                const xx = x0 + l * dw;
                if (xx < 0 || xx >= w) continue;
                const base = (((b * d + z) * h + y) * w + xx) * c;
                for (let ch = 0; ch < c; ch++) dx[base + ch] += dy[o + ch]! * scale;
              }
            }
          }
        }
      }
    }
  }
}

type Pool2DAttrs = MaxPoolGradAttrs | AvgPoolGradAttrs;
type Pool3DAttrs = MaxPool3DGradAttrs | AvgPool3DGradAttrs;

function geomOf(x: TensorInfo, attrs: Pool2DAttrs | Pool3DAttrs, rank3: boolean): ConvGeom {
  if (rank3) {
    const a = attrs as Pool3DAttrs;
    return geom3d(backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], a.filterSize, a.strides, 1, a.pad, (a as MaxPoolGradAttrs).dimRoundingMode));
  }
  const a = attrs as Pool2DAttrs;
  return geom2d(backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, (a as MaxPoolGradAttrs).dimRoundingMode));
}

/**
 * MaxPoolGrad / MaxPool3DGrad. tfjs-backend-wasm 4.22's versions give wrong
 * gradients when windows overlap or do not tile the input.
 */
export function makeMaxPoolGrad(backendName: 'wasm' | 'cpu', rank3: boolean): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const g = geomOf(input, args.attrs as unknown as Pool2DAttrs, rank3);
    const io = tensorIO(backendName, args.backend);
    const dx = io.alloc(input.shape.slice(), 'float32');
    maxPoolGrad(io.f32(input), io.f32(dy), io.f32(dx), g);
    return dx;
  };
}

/**
 * AvgPoolGrad / AvgPool3DGrad. tfjs (cpu and wasm) divides by the full
 * window size, while its forward pass divides by the number of elements
 * inside the input: 'same' padding gave wrong gradients at the borders.
 */
export function makeAvgPoolGrad(backendName: 'wasm' | 'cpu', rank3: boolean): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const g = geomOf(input, args.attrs as unknown as Pool2DAttrs, rank3);
    const io = tensorIO(backendName, args.backend);
    const dx = io.alloc(input.shape.slice(), 'float32');
    avgPoolGrad(io.f32(dy), io.f32(dx), g);
    return dx;
  };
}
