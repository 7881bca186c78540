import { backend_util, util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, FusedConv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';
import { geom2d, im2col, patchCols, patchRows } from './conv_geometry.js';
import { biasActivation } from './fused_util.js';
import { gemm } from './gemm.js';

let patches: Float32Array = new Float32Array(0);

/** Conv2D on cpu (NHWC): im2col + the JS GEMM, several times faster than tfjs-backend-cpu's loops. */
function conv2dCpu(backend: object, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): TensorInfo {
  const { strides, pad, dilations, dimRoundingMode } = attrs;
  const ci = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
  const g = geom2d(ci);
  const M = patchRows(g), K = patchCols(g);
  const io = tensorIO('cpu', backend);
  const out = io.alloc(ci.outShape.slice(), 'float32');
  if (patches.length < M * K) patches = new Float32Array(M * K);
  im2col(io.f32(x), 0, g, patches, 0);
  gemm(M, g.co, K, patches, 0, io.f32(filter), 0, io.f32(out), 0);
  return out;
}

/** Conv2D for the cpu backend (NHWC, float32; other cases go to tfjs). */
export function makeConv2DCpu(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DAttrs;
    if ((attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') && original) return original(args);
    return conv2dCpu(args.backend, x, filter, attrs);
  };
}

/** FusedConv2D for the cpu backend: the conv above, then the bias and activation kernels. */
export function makeFusedConv2DCpu(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    if ((attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') && original) return original(args);
    const y = conv2dCpu(args.backend, x, filter, attrs);
    return biasActivation(tensorIO('cpu', args.backend), y, bias, preluActivationWeights, args.attrs ?? {});
  };
}

/**
 * Sum over leading axes on cpu (a conv layer's bias gradient): one pass of
 * column sums in float64. Other reductions go to tfjs.
 */
export function makeSumCpu(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    if (!original) throw new Error('Fovea kernels: no Sum kernel to delegate to');
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[] | null; keepDims: boolean };
    if (x.dtype !== 'float32') return original(args);
    const axes = util.parseAxisParam(axis ?? x.shape.map((_, i) => i), x.shape).slice().sort((a, b) => a - b);
    const r = axes.length;
    if (r === 0 || r === x.shape.length || axes.some((a, i) => a !== i)) return original(args);
    const rows = util.sizeFromShape(x.shape.slice(0, r)), cols = util.sizeFromShape(x.shape.slice(r));
    const io = tensorIO('cpu', args.backend);
    const outShape = keepDims ? [...x.shape.slice(0, r).map(() => 1), ...x.shape.slice(r)] : x.shape.slice(r);
    const out = io.alloc(outShape, 'float32');
    const xv = io.f32(x), ov = io.f32(out);
    const acc = new Float64Array(cols);
    for (let i = 0, o = 0; i < rows; i++, o += cols) for (let j = 0; j < cols; j++) acc[j] += xv[o + j]!;
    ov.set(acc);
    return out;
  };
}

/** Add on cpu with a bias-like operand (b's shape is a's trailing dims): one JS loop. */
export function makeAddCpu(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    if (!original) throw new Error('Fovea kernels: no Add kernel to delegate to');
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const [big, small] = a.shape.length >= b.shape.length ? [a, b] : [b, a];
    const k = small.shape.length;
    if (k === 0 || k === big.shape.length || !util.arraysEqual(big.shape.slice(big.shape.length - k), small.shape)) return original(args);
    const io = tensorIO('cpu', args.backend);
    const out = io.alloc(big.shape.slice(), 'float32');
    const bv = io.f32(big), sv = io.f32(small), ov = io.f32(out);
    const inner = sv.length;
    for (let o = 0; o < bv.length; o += inner) for (let j = 0; j < inner; j++) ov[o + j] = bv[o + j]! + sv[j]!;
    return out;
  };
}
