import { backend_util } from '@tensorflow/tfjs-core';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, DepthwiseConv2dNativeBackpropInputAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/**
 * DepthwiseConv2dNativeBackpropFilter (NHWC, any stride/padding/dilation,
 * channel multiplier): direct loops in JS, accumulated in float64. Missing
 * in tfjs-backend-wasm; tfjs-backend-cpu's goes through TensorBuffer.get.
 */
export function makeDepthwiseBackpropFilter(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    const ci = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: co } = ci;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = ci;
    const pt = ci.padInfo.top, pl = ci.padInfo.left, mult = co / c;
    const io = tensorIO(backendName, args.backend);
    const out = io.alloc(filterShape.slice(), 'float32');
    const xv = io.f32(x), g = io.f32(dy);
    const acc = new Float64Array(fh * fw * co);
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const gBase = ((b * oh + oy) * ow + ox) * co;
          for (let i = 0; i < fh; i++) {
            const y = oy * sh + i * dh - pt;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < fw; j++) {
              const xx = ox * sw + j * dw - pl;
              if (xx < 0 || xx >= w) continue;
              const xBase = ((b * h + y) * w + xx) * c;
              const aBase = (i * fw + j) * co;
              if (mult === 1) {
                for (let ch = 0; ch < c; ch++) acc[aBase + ch] += xv[xBase + ch]! * g[gBase + ch]!;
              } else {
                for (let ch = 0; ch < c; ch++) {
                  const v = xv[xBase + ch]!;
                  const o = ch * mult;
                  for (let q = 0; q < mult; q++) acc[aBase + o + q] += v * g[gBase + o + q]!;
                }
              }
            }
          }
        }
      }
    }
    io.f32(out).set(acc);
    return out;
  };
}

/**
 * DepthwiseConv2dNativeBackpropInput (NHWC, any stride/padding/dilation,
 * channel multiplier): direct scatter loops in JS.
 */
export function makeDepthwiseBackpropInput(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
    const ci = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: co } = ci;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = ci;
    const pt = ci.padInfo.top, pl = ci.padInfo.left, mult = co / c;
    const io = tensorIO(backendName, args.backend);
    const dx = io.alloc(inputShape.slice(), 'float32', true);
    const wv = io.f32(filter), g = io.f32(dy), out = io.f32(dx);
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const gBase = ((b * oh + oy) * ow + ox) * co;
          for (let i = 0; i < fh; i++) {
            const y = oy * sh + i * dh - pt;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < fw; j++) {
              const xx = ox * sw + j * dw - pl;
              if (xx < 0 || xx >= w) continue;
              const xBase = ((b * h + y) * w + xx) * c;
              const wBase = (i * fw + j) * co;
              if (mult === 1) {
                for (let ch = 0; ch < c; ch++) out[xBase + ch] += wv[wBase + ch]! * g[gBase + ch]!;
              } else {
                for (let ch = 0; ch < c; ch++) {
                  const o = ch * mult;
                  let s = 0;
                  for (let q = 0; q < mult; q++) s += wv[wBase + o + q]! * g[gBase + o + q]!;
                  out[xBase + ch] += s;
                }
              }
            }
          }
        }
      }
    }
    return dx;
  };
}
