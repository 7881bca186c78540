import { backend_util } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, Conv3DBackpropFilterV2Attrs, Conv3DBackpropInputV2Attrs,
  KernelFunc, TensorInfo,
} from '@tensorflow/tfjs-core';
import { tensorIO, wasmHeapF32, wasmOffset, type TensorIO } from './backend_io.js';
import { col2im, geom2d, geom3d, im2col, im2colTBatchLast, patchCols, patchRows, type ConvGeom } from './conv_geometry.js';
import { gemmStrided, transpose2d } from './gemm.js';
import { callKernel } from './registry.js';

function transposeWasm(io: TensorIO, t: TensorInfo, shape: number[], perm: number[]): TensorInfo {
  return callKernel('Transpose', 'wasm', io.backend, { x: { dataId: t.dataId, shape, dtype: 'float32' } }, { perm });
}

/** dW = patches^T · dy as one GEMM; returns a `[K, co]` tensor. */
function filterGrad(io: TensorIO, x: TensorInfo, dy: TensorInfo, g: ConvGeom): TensorInfo {
  const K = patchCols(g), M = patchRows(g), CO = g.co;
  if (io.backendName === 'cpu') {
    const p = new Float32Array(M * K);
    im2col(io.f32(x), 0, g, p, 0);
    const out = io.alloc([K, CO], 'float32');
    gemmStrided(K, CO, M, { data: p, offset: 0, rowStride: 1, colStride: K }, { data: io.f32(dy), offset: 0, rowStride: CO, colStride: 1 }, io.f32(out), 0);
    return out;
  }
  // wasm: XNNPACK re-packs its right operand on every call (~4-5 ns an
  // element), so the smaller of dy (M x co) and the patches (M x K) goes right.
  const S = g.d * g.h * g.w, OS = g.od * g.oh * g.ow;
  if (CO <= K) {
    // patches^T [K, M] x dy [M, co], positions ordered (oz, oy, ox, b):
    // built from x as [c, d, h, w, n] with long memmoves.
    const xS = transposeWasm(io, x, [g.n, S, g.c], [2, 1, 0]);
    const dyS = transposeWasm(io, dy, [g.n, OS, CO], [1, 0, 2]);
    const pT = io.alloc([K, M], 'float32');
    im2colTBatchLast(wasmHeapF32(io.backend), wasmOffset(io.backend, xS), g, wasmOffset(io.backend, pT));
    io.dispose(xS);
    const out = io.matmul(pT, dyS, K, M, CO);
    io.dispose(pT);
    io.dispose(dyS);
    return out;
  }
  // dy^T [co, M] x patches [M, K], then transpose the [co, K] result.
  const p = io.alloc([M, K], 'float32');
  const heap = wasmHeapF32(io.backend);
  im2col(heap, wasmOffset(io.backend, x), g, heap, wasmOffset(io.backend, p));
  const dyT = transposeWasm(io, dy, [M, CO], [1, 0]);
  const outT = io.matmul(dyT, p, CO, M, K);
  io.dispose(p);
  io.dispose(dyT);
  const out = transposeWasm(io, outT, [CO, K], [1, 0]);
  io.dispose(outT);
  return out;
}

/** dx = col2im(dy · W^T); `filter` is `[K, co]`. */
function inputGradGemm(io: TensorIO, dy: TensorInfo, filter: TensorInfo, g: ConvGeom, inShape: number[]): TensorInfo {
  const K = patchCols(g), M = patchRows(g), CO = g.co;
  const dx = io.alloc(inShape, 'float32', true);
  if (io.backendName === 'cpu') {
    const cols = new Float32Array(M * K);
    gemmStrided(M, K, CO, { data: io.f32(dy), offset: 0, rowStride: CO, colStride: 1 }, { data: io.f32(filter), offset: 0, rowStride: 1, colStride: CO }, cols, 0);
    col2im(cols, 0, g, io.f32(dx), 0);
    return dx;
  }
  const wT = transposeWasm(io, filter, [K, CO], [1, 0]);
  const cols = io.matmul(dy, wT, M, CO, K);
  io.dispose(wT);
  col2im(io.f32(cols), 0, g, io.f32(dx), 0);
  io.dispose(cols);
  return dx;
}

/**
 * wasm, 2-D, stride 1: dx is a convolution of dy with the flipped,
 * in/out-swapped filter, run by XNNPACK; null when the padding does not fit.
 */
function inputGradConvWasm(io: TensorIO, dy: TensorInfo, filter: TensorInfo, g: ConvGeom): TensorInfo | null {
  if (g.d !== 1 || g.sh !== 1 || g.sw !== 1 || g.dh !== 1 || g.dw !== 1) return null;
  const top = g.fh - 1 - g.pt, left = g.fw - 1 - g.pl;
  const bottom = g.h + g.fh - 1 - g.oh - top, right = g.w + g.fw - 1 - g.ow - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const { fh, fw, c, co } = g;
  const flipped = io.alloc([fh, fw, co, c], 'float32');
  const src = io.f32(filter), dst = io.f32(flipped);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const s = ((fh - 1 - i) * fw + (fw - 1 - j)) * c * co;
      transpose2d(src, s, dst, (i * fw + j) * co * c, c, co);
    }
  }
  const dx = callKernel('Conv2D', 'wasm', io.backend, { x: dy, filter: flipped }, {
    strides: 1, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: 1,
  });
  io.dispose(flipped);
  return dx;
}

function as4(ci: backend_util.Conv2DInfo): ConvGeom {
  if (ci.dataFormat !== 'channelsLast') throw new Error('Fovea kernels: only NHWC convolution gradients are supported');
  return geom2d(ci);
}

/** Conv2DBackpropFilter (NHWC): im2col + one GEMM. */
export function makeConv2DBackpropFilter(backendName: 'wasm' | 'cpu', original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW' && original) return original(args);
    const ci = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const out = filterGrad(tensorIO(backendName, args.backend), x, dy, as4(ci));
    return { dataId: out.dataId, shape: filterShape.slice(), dtype: 'float32' };
  };
}

/** Conv2DBackpropInput (NHWC): a flipped-filter convolution (wasm, stride 1) or GEMM + col2im. */
export function makeConv2DBackpropInput(backendName: 'wasm' | 'cpu', original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat === 'NCHW' && original) return original(args);
    const ci = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const g = as4(ci);
    const io = tensorIO(backendName, args.backend);
    if (backendName === 'wasm') {
      const viaConv = inputGradConvWasm(io, dy, filter, g);
      if (viaConv !== null) return viaConv;
    }
    return inputGradGemm(io, dy, filter, g, inputShape.slice());
  };
}

/** Conv3DBackpropFilterV2 (NDHWC): im2col + one GEMM. */
export function makeConv3DBackpropFilter(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, filterShape } = args.attrs as unknown as Conv3DBackpropFilterV2Attrs;
    const ci = backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number], filterShape, strides, 1, pad);
    const out = filterGrad(tensorIO(backendName, args.backend), x, dy, geom3d(ci));
    return { dataId: out.dataId, shape: filterShape.slice(), dtype: 'float32' };
  };
}

/** Conv3DBackpropInputV2 (NDHWC): GEMM + col2im. */
export function makeConv3DBackpropInput(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, inputShape } = args.attrs as unknown as Conv3DBackpropInputV2Attrs;
    const ci = backend_util.computeConv3DInfo(inputShape, filter.shape as [number, number, number, number, number], strides, 1, pad);
    return inputGradGemm(tensorIO(backendName, args.backend), dy, filter, geom3d(ci), inputShape.slice());
  };
}

