import { backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

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
