import { backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/**
 * Runs a reduction (Sum, Mean, Max, Min, Prod) on the input with adjacent
 * reduced and adjacent kept axes merged: tfjs-backend-wasm transposes the
 * reduced axes innermost, and its transpose of a rank-4 tensor is several
 * times slower than of the equivalent matrix (the bias gradient of a conv
 * layer, Sum over [0, 1, 2] of NHWC, took 6.5 ms instead of 1.5).
 */
export function makeCollapsedReduce(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    if (!original) throw new Error('Fovea kernels: no reduction kernel to delegate to');
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = (args.attrs ?? {}) as { axis?: number | number[] | null; reductionIndices?: number | number[]; keepDims?: boolean };
    const axisKey = 'reductionIndices' in attrs && attrs.reductionIndices !== undefined ? 'reductionIndices' : 'axis';
    const axisAttr = axisKey === 'axis' ? attrs.axis : attrs.reductionIndices;
    const rank = x.shape.length;
    if (rank <= 2) return original(args);
    const axes = util.parseAxisParam(axisAttr ?? x.shape.map((_, i) => i), x.shape);
    const reduced = x.shape.map((_, i) => axes.includes(i));
    const shape: number[] = [];
    const newAxes: number[] = [];
    for (let i = 0; i < rank; i++) {
      if (i > 0 && reduced[i] === reduced[i - 1]) {
        shape[shape.length - 1] *= x.shape[i]!;
      } else {
        if (reduced[i]) newAxes.push(shape.length);
        shape.push(x.shape[i]!);
      }
    }
    if (shape.length === rank) return original(args);
    const r = original({
      inputs: { x: { dataId: x.dataId, shape, dtype: x.dtype } },
      backend: args.backend,
      attrs: { ...(args.attrs ?? {}), [axisKey]: newAxes, keepDims: false },
    }) as TensorInfo;
    const outShape = x.shape.filter((_, i) => !reduced[i]);
    const finalShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return { dataId: r.dataId, shape: finalShape, dtype: r.dtype };
  };
}

/**
 * Sum over leading axes on wasm (the bias gradient of every linear and
 * conv layer): one pass of column sums in float64 over the heap, instead of
 * tfjs-backend-wasm's transpose of the reduced axes innermost followed by row
 * sums (1.2 ms of CPU for a `[1576, 192]` bias gradient, ~4 ns per element;
 * this takes ~0.3 ms). Other reductions go to `fallback`.
 */
export function makeLeadingSumWasm(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[] | null; keepDims?: boolean };
    if (x.dtype !== 'float32' || x.shape.length < 2) return fallback(args);
    const axes = util.parseAxisParam(axis ?? x.shape.map((_, i) => i), x.shape).slice().sort((a, b) => a - b);
    const r = axes.length;
    if (r === 0 || r === x.shape.length || axes.some((a, i) => a !== i)) return fallback(args);
    const rows = util.sizeFromShape(x.shape.slice(0, r)), cols = util.sizeFromShape(x.shape.slice(r));
    if (rows * cols === 0) return fallback(args);
    const io = tensorIO('wasm', args.backend);
    const outShape = keepDims ? [...x.shape.slice(0, r).map(() => 1), ...x.shape.slice(r)] : x.shape.slice(r);
    const out = io.alloc(outShape, 'float32');
    const xv = io.f32(x), ov = io.f32(out); // views taken after the allocation
    const acc = new Float64Array(cols);
    let i = 0, o = 0;
    for (; i + 4 <= rows; i += 4, o += 4 * cols) {
      const o1 = o + cols, o2 = o1 + cols, o3 = o2 + cols;
      for (let j = 0; j < cols; j++) acc[j] += xv[o + j]! + xv[o1 + j]! + (xv[o2 + j]! + xv[o3 + j]!);
    }
    for (; i < rows; i++, o += cols) for (let j = 0; j < cols; j++) acc[j] += xv[o + j]!;
    ov.set(acc);
    return out;
  };
}
