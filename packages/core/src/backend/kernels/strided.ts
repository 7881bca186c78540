import { slice_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, StridedSliceAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel } from './registry.js';

/** Elements per axis of a canonical (dense) slice `begin:end:stride`, as tfjs computes them. */
export function sliceCount(begin: number, end: number, stride: number): number {
  const len = end - begin;
  if (len === 0 || len < 0 !== stride < 0) return 0;
  return Math.trunc(len / stride) + (len % stride !== 0 ? 1 : 0);
}

/** Flat indices into `xShape` of every element a dense strided slice reads, in output (row-major) order. */
export function stridedIndices(xShape: readonly number[], begin: readonly number[], strides: readonly number[], counts: readonly number[]): Int32Array {
  const n = counts.reduce((a, b) => a * b, 1);
  const rank = xShape.length;
  const xStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) xStrides[i] = xStrides[i + 1]! * xShape[i + 1]!;
  const out = new Int32Array(n);
  const loc = new Array<number>(rank).fill(0);
  for (let e = 0; e < n; e++) {
    let flat = 0;
    for (let i = 0; i < rank; i++) flat += (begin[i]! + loc[i]! * strides[i]!) * xStrides[i]!;
    out[e] = flat;
    for (let i = rank - 1; i >= 0; i--) {
      if (++loc[i]! < counts[i]!) break;
      loc[i] = 0;
    }
  }
  return out;
}

/**
 * The positions a StridedSlice reads: tfjs's own `slice_util.sliceInfo`
 * (every mask, negative strides, shrunk and new axes), then the flat index
 * of each element. `null` for an identity slice.
 */
export function stridedSlicePositions(xShape: number[], a: StridedSliceAttrs): { indices: Int32Array; finalShape: number[] } | null {
  const info = slice_util.sliceInfo(xShape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
  if (info.isIdentity) return null;
  const counts = xShape.map((_, i) => sliceCount(info.begin[i]!, info.end[i]!, info.strides[i]!));
  return { indices: stridedIndices(xShape, info.begin, info.strides, counts), finalShape: info.finalShape };
}

/**
 * StridedSlice that shrinks an axis and steps (or reverses) another: tfjs
 * 4.22 walks the output with the shrunk axes already removed but indexes `x`
 * as if they were there (tfjs-backend-cpu throws "Requested out of range
 * element", tfjs-backend-wasm returns garbage). Those slices are a gather of
 * the positions computed above; the others go to the backend's kernel.
 */
export function withShrinkingSliceFix(backendName: string, inner: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const a = args.attrs as unknown as StridedSliceAttrs;
    const info = slice_util.sliceInfo(x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
    if (info.isIdentity || info.sliceDim0 || info.isSimpleSlice || info.finalShapeSparse.length === x.shape.length) return inner(args);
    const pos = stridedSlicePositions(x.shape, a)!;
    const be = args.backend as { write(values: Int32Array, shape: number[], dtype: 'int32'): object; disposeData(id: object): boolean };
    const indices: TensorInfo = { dataId: be.write(pos.indices, [pos.indices.length], 'int32'), shape: [pos.indices.length], dtype: 'int32' };
    const flat = callKernel('Reshape', backendName, args.backend, { x }, { shape: [x.shape.reduce((p, q) => p * q, 1)] });
    const picked = callKernel('GatherV2', backendName, args.backend, { x: flat, indices }, { axis: 0, batchDims: 0 });
    const out = callKernel('Reshape', backendName, args.backend, { x: picked }, { shape: info.finalShape });
    for (const t of [indices, flat, picked]) be.disposeData(t.dataId);
    return out;
  };
}
