import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, StridedSliceAttrs } from '@tensorflow/tfjs-core';
import { stridedSlicePositions } from '../kernels/strided.js';

/**
 * Gradients of indexing kernels tfjs-core 4.22 cannot differentiate:
 * StridedSlice, GatherNd, ScatterNd and TopK. Each scatters (or gathers) the
 * incoming gradient back to where the values came from; the positions are
 * computed from shapes and attributes (or the saved indices), never by
 * reading tensor values back.
 */

/**
 * StridedSlice: the incoming gradient scattered into zeros of `x`'s shape at
 * the positions the slice read (each read once, so the scatter's sum is a
 * plain placement). Handles every mask, negative strides and shrunk or new
 * axes, through tfjs's own `slice_util.sliceInfo`.
 */
export const stridedSliceGradConfig: GradConfig = {
  kernelName: 'StridedSlice',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const a = attrs as unknown as StridedSliceAttrs;
    return {
      x: () => {
        const g = dy as tf.Tensor;
        const pos = stridedSlicePositions(x.shape, a);
        if (pos === null) return tf.reshape(g, x.shape);
        if (g.size === 0) return tf.zerosLike(x);
        const idx = pos.indices;
        if (idx.length !== g.size) throw new Error(`StridedSlice gradient: ${idx.length} positions for ${g.size} gradient values`);
        const indices = tf.tensor2d(idx, [idx.length, 1], 'int32'); // [n, 1] flat positions in x
        return tf.reshape(tf.scatterND(indices, tf.reshape(g, [g.size]), [x.size]), x.shape);
      },
    };
  },
};

/** GatherNd: the incoming gradient scatter-added at the gathered positions (repeats accumulate). */
export const gatherNdGradConfig: GradConfig = {
  kernelName: 'GatherNd',
  inputsToSave: ['params', 'indices'],
  gradFunc: (dy, saved) => {
    const [params, indices] = saved as [tf.Tensor, tf.Tensor];
    return {
      params: () => tf.scatterND(indices, dy as tf.Tensor, params.shape),
      indices: () => tf.zeros(indices.shape),
    };
  },
};

/** ScatterNd: each update's gradient is the incoming gradient at its position. */
export const scatterNdGradConfig: GradConfig = {
  kernelName: 'ScatterNd',
  inputsToSave: ['indices'],
  gradFunc: (dy, saved) => {
    const [indices] = saved as [tf.Tensor];
    return {
      updates: () => tf.gatherND(dy as tf.Tensor, indices),
      indices: () => tf.zeros(indices.shape),
    };
  },
};

/**
 * GatherV2 with any `batchDims` (tfjs 4.22's gradient handles 0 and 1 only
 * and fails to reshape otherwise): with `x` viewed as `[B, O, D, S]` (batch,
 * outer, gathered axis, slice) and the result as `[B, O, N, S]`, each row
 * `dy[b, o, n]` is summed into `x[b, o, indices[b, n]]`.
 */
export const gatherV2GradConfig: GradConfig = {
  kernelName: 'GatherV2',
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const axis = tf.util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
    const batchDims = (attrs['batchDims'] as number | undefined) ?? 0;
    return {
      x: () => {
        const { batchSize: B, outerSize: O, dimSize: D, sliceSize: S } = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, axis, batchDims);
        const N = B === 0 ? 0 : indices.size / B;
        if (B * O * N * S === 0) return tf.zerosLike(x);
        const base = tf.reshape(tf.mul(tf.range(0, B * O, 1, 'int32'), tf.scalar(D, 'int32')), [B, O, 1]); // [B, O, 1] row of x[b, o, 0]
        const ids = tf.reshape(tf.add(base, tf.reshape(indices, [B, 1, N])), [B * O * N]) as tf.Tensor1D; // [B*O*N]
        const rows = tf.unsortedSegmentSum(tf.reshape(dy as tf.Tensor, [B * O * N, S]), ids, B * O * D); // [B*O*D, S]
        return tf.reshape(rows, x.shape);
      },
      indices: () => tf.zeros(indices.shape),
    };
  },
};

/**
 * TopK: the gradient of `values` `[..., k]` placed at `indices` along the
 * last axis of `x` `[..., n]`; zeros elsewhere (`indices` has no gradient).
 */
export const topKGradConfig: GradConfig = {
  kernelName: 'TopK',
  inputsToSave: ['x'],
  outputsToSave: [false, true],
  gradFunc: (dy, saved) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const dValues = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
    return {
      x: () => {
        const n = x.shape[x.rank - 1]!;
        const k = indices.shape[indices.rank - 1]!;
        const rows = n === 0 ? 0 : x.size / n;
        if (rows * k === 0) return tf.zerosLike(x);
        const rowStart = tf.reshape(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(n, 'int32')), [rows, 1]); // [R, 1]
        const flat = tf.reshape(tf.add(tf.reshape(indices, [rows, k]), rowStart), [rows * k, 1]); // [R*k, 1]
        return tf.reshape(tf.scatterND(flat, tf.reshape(dValues, [rows * k]), [rows * n]), x.shape);
      },
    };
  },
};
