import { backend_util } from '@tensorflow/tfjs-core';
import type { Dilation2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/**
 * Dilation2DBackpropInput / Dilation2DBackpropFilter: tfjs-backend-cpu's
 * algorithm (TensorFlow's: the gradient follows the first maximum of
 * x + filter) on typed arrays. tfjs-backend-wasm 4.22's versions are wrong.
 */
export function makeDilation2DBackprop(backendName: 'wasm' | 'cpu', wrt: 'input' | 'filter'): KernelFunc {
  return (args) => {
    const { x, filter, dy } = args.inputs as { x: TensorInfo; filter: TensorInfo; dy: TensorInfo };
    const { strides, pad, dilations } = args.attrs as unknown as Dilation2DAttrs;
    const info = backend_util.computeDilation2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number], strides, pad, 'NHWC', dilations);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
    const io = tensorIO(backendName, args.backend);
    const out = io.alloc((wrt === 'input' ? x.shape : filter.shape).slice(), 'float32', true);
    const xv = io.f32(x), fv = io.f32(filter), g = io.f32(dy), ov = io.f32(out);
    for (let b = 0; b < n; b++) {
      for (let yo = 0; yo < oh; yo++) {
        const y0 = yo * sh - info.padInfo.top;
        for (let xo = 0; xo < ow; xo++) {
          const x0 = xo * sw - info.padInfo.left;
          for (let ch = 0; ch < c; ch++) {
            let cur = Number.MIN_SAFE_INTEGER;
            let yMax = y0 < 0 ? 0 : y0, xMax = x0 < 0 ? 0 : x0, iMax = 0, jMax = 0;
            for (let i = 0; i < fh; i++) {
              const yi = y0 + i * dh;
              if (yi < 0 || yi >= h) continue;
              for (let j = 0; j < fw; j++) {
                const xi = x0 + j * dw;
                if (xi < 0 || xi >= w) continue;
                const v = xv[((b * h + yi) * w + xi) * c + ch]! + fv[(i * fw + j) * c + ch]!;
                if (v > cur) { cur = v; yMax = yi; xMax = xi; iMax = i; jMax = j; }
              }
            }
            const gv = g[((b * oh + yo) * ow + xo) * c + ch]!;
            if (wrt === 'input') ov[((b * h + yMax) * w + xMax) * c + ch] += gv;
            else ov[(iMax * fw + jMax) * c + ch] += gv;
          }
        }
      }
    }
    return out;
  };
}
