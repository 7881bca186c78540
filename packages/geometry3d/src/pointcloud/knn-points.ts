import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor } from '@fovea/core';
import { gatherRows, noGrad, zerosConnected } from '../_internal/autograd.js';
import { checkInt, checkPoints, lengthsTensor, type LengthsInput } from '../_internal/checks.js';
import { knnIndices } from '../_internal/nearest.js';
import { boolToInt, toFloat } from '../_internal/dtype.js';

/** Options for {@link knnPoints}. @category Point clouds */
export interface KnnPointsOptions {
  /** Neighbours per point, `K >= 1`; default 1. Entries beyond a cloud's `lengths2` are padded with index 0 and distance 0. */
  K?: number;
  /** Valid points per cloud of `p1` (`[B]`); rows beyond it get index 0 and distance 0. Default: all `P1`. */
  lengths1?: LengthsInput | null;
  /** Valid points per cloud of `p2` (`[B]`); padded points are never neighbours. Default: all `P2`. */
  lengths2?: LengthsInput | null;
  /** 2: squared Euclidean distances (default); 1: L1 distances. */
  norm?: 1 | 2;
  /** Also return the neighbours' coordinates `[B, P1, K, D]`; default false. */
  returnNn?: boolean;
}

/** What {@link knnPoints} returns (the caller disposes the tensors). @category Point clouds */
export interface KnnResult {
  /** `[B, P1, K]` distances to the neighbours, ascending: **squared** Euclidean (norm 2) or L1 (norm 1). Differentiable in `p1` and `p2`. */
  dists: tf.Tensor;
  /** int32 `[B, P1, K]` indices of the neighbours in `p2`. */
  idx: tf.Tensor;
  /** `[B, P1, K, D]` the neighbours' coordinates when `returnNn`, else null. */
  knn: tf.Tensor | null;
}

/**
 * K nearest neighbours between point clouds (PyTorch3D's `knn_points` with
 * `return_sorted=True`): for every point of `p1`, the `K` closest points of
 * `p2` in the same batch element, nearest first. The search is tiled, so the
 * full `P1 × P2` distance matrix is never materialised; `dists` are
 * recomputed exactly from the chosen neighbours and are differentiable in
 * both clouds (the neighbour assignment is treated as constant, as PyTorch3D
 * does).
 *
 * @param p1 `[B, P1, D]` query points.
 * @param p2 `[B, P2, D]` reference points.
 * @param opts K, lengths, norm, returnNn.
 * @returns `dists` `[B, P1, K]`, `idx` int32 `[B, P1, K]`, `knn` `[B, P1, K, D]` or null.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { knnPoints } from '@fovea/geometry3d';
 * const p1 = tf.tensor3d([[[0, 0, 0]]]);
 * const p2 = tf.tensor3d([[[3, 0, 0], [1, 0, 0], [0, 2, 0]]]);
 * const { dists, idx } = knnPoints(p1, p2, { K: 2 });
 * await idx.data(); // [1, 2]
 * await dists.data(); // [1, 4]
 * ```
 * @category Point clouds
 */
export function knnPoints(p1: tf.Tensor, p2: tf.Tensor, opts: KnnPointsOptions = {}): KnnResult {
  const op = 'knnPoints';
  const dims: Record<string, number> = {};
  checkPoints(op, 'p1', p1, dims, 'P1');
  checkPoints(op, 'p2', p2, dims, 'P2');
  const [B, P1] = p1.shape as [number, number];
  const P2 = p2.shape[1]!;
  const K = checkInt(op, 'options.K', opts.K ?? 1, 1);
  const norm = opts.norm ?? 2;
  if (norm !== 1 && norm !== 2) throw new FoveaError({ op, arg: 'options.norm', expected: '1 or 2', got: String(norm) });
  return tf.tidy(() => {
    const len1 = lengthsTensor(op, 'options.lengths1', opts.lengths1, B, P1);
    const len2 = lengthsTensor(op, 'options.lengths2', opts.lengths2, B, P2);
    const Ks = Math.min(K, P2); // searchable neighbours
    const idx = Ks > 0 ? knnIndices(p1, p2, Ks, norm, len2) : tf.zeros([B, P1, 0], 'int32'); // [B, P1, Ks]
    return knnFromIndices(p1, p2, idx, K, norm, len1, len2, opts.returnNn ?? false) as unknown as tf.TensorContainerObject;
  }) as unknown as KnnResult;
}

/**
 * The {@link KnnResult} for neighbour indices found by a search: pads to `K`,
 * zeroes the entries beyond the lengths, and recomputes the distances exactly
 * (and differentiably) from the gathered neighbours. For use inside a tidy.
 */
export function knnFromIndices(
  p1: tf.Tensor,
  p2: tf.Tensor,
  found: tf.Tensor,
  K: number,
  norm: 1 | 2,
  len1: tf.Tensor | null,
  len2: tf.Tensor | null,
  returnNn: boolean,
): KnnResult {
  const [B, P1, D] = p1.shape as [number, number, number];
  const P2 = p2.shape[1]!;
  const Ks = found.shape[2]!;
  const idx = Ks < K ? tf.concat([found, tf.zeros([B, P1, K - Ks], 'int32')], 2) : found; // [B, P1, K]
  const [valid, idxOut] = noGrad(() => {
    const v = validMask(B, P1, K, P2, len1, len2); // [B, P1, K] bool
    return [toFloat(v), tf.mul(idx, boolToInt(v))];
  });
  const nn = gatherNeighbours(p2, idxOut, [B, P1, K, D]); // [B, P1, K, D]
  const diff = tf.sub(tf.expandDims(p1, 2), nn); // [B, P1, K, D]
  const d = norm === 2 ? tf.sum(tf.square(diff), 3) : tf.sum(tf.abs(diff), 3); // [B, P1, K]
  return { dists: tf.mul(d, valid), idx: idxOut, knn: returnNn ? tf.mul(nn, tf.expandDims(valid, 3)) : null };
}

/** bool: true where row `i < lengths1[b]` and neighbour `k < min(P2, lengths2[b])`. */
function validMask(B: number, P1: number, K: number, P2: number, len1: tf.Tensor | null, len2: tf.Tensor | null): tf.Tensor {
  const kAvail = len2 ? tf.minimum(len2, tf.scalar(P2, 'int32')) : tf.fill([B], P2, 'int32'); // [B]
  const kOk = tf.less(tf.expandDims(tf.range(0, K, 1, 'int32'), 0), tf.expandDims(kAvail, 1)); // [B, K]
  let m = tf.tile(tf.expandDims(kOk, 1), [1, P1, 1]); // [B, P1, K]
  if (len1) {
    const rowOk = tf.less(tf.expandDims(tf.range(0, P1, 1, 'int32'), 0), tf.expandDims(len1, 1)); // [B, P1]
    m = tf.logicalAnd(m, tf.expandDims(rowOk, 2));
  }
  return m;
}

/**
 * `p2[b, idx[b, i, k]]` for every entry (PyTorch3D's `knn_gather` without
 * lengths), differentiable in `p2`.
 *
 * @param p2 `[B, P2, D]`.
 * @param idx int32 `[B, P1, K]`.
 * @param shape `[B, P1, K, D]`.
 */
export function gatherNeighbours(p2: tf.Tensor, idx: tf.Tensor, shape: number[]): tf.Tensor {
  const [B, P2, D] = p2.shape as [number, number, number];
  if (shape.reduce((a, b) => a * b, 1) === 0 || P2 === 0) return zerosConnected(p2, shape); // keeps p2 on the tape
  const flat = tf.reshape(p2, [B * P2, D]); // [B·P2, D]
  const offs = noGrad(() => [tf.reshape(tf.add(idx, tf.reshape(tf.range(0, B * P2, P2, 'int32'), [B, 1, 1])), [-1])])[0]; // [B·P1·K]
  return tf.reshape(gatherRows(flat, offs), shape);
}

/**
 * Gathers the neighbours that {@link knnPoints} found (PyTorch3D's
 * `knn_gather`): `out[b, i, k] = x[b, idx[b, i, k]]`, zero where `k` is at or
 * beyond `lengths[b]`. Differentiable in `x`.
 *
 * @param x `[B, M, C]` points or features.
 * @param idx int32 `[B, N, K]` indices into `x`.
 * @param lengths valid points per cloud of `x` (`[B]`), or null for all `M`.
 * @returns `[B, N, K, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { knnGather } from '@fovea/geometry3d';
 * const x = tf.tensor3d([[[1, 1], [2, 2], [3, 3]]]);
 * knnGather(x, tf.tensor3d([[[2, 0]]], undefined, 'int32')).shape; // [1, 1, 2, 2]: (3, 3) then (1, 1)
 * ```
 * @category Point clouds
 */
export function knnGather(x: tf.Tensor, idx: tf.Tensor, lengths: LengthsInput | null = null): tf.Tensor {
  const op = 'knnGather';
  const dims: Record<string, number> = {};
  checkPoints(op, 'x', x, dims, 'M');
  const [B, M, C] = x.shape as [number, number, number];
  checkTensor(op, 'idx', idx, { shape: [B, 'N', 'K'], dtype: 'int32' });
  const [, N, K] = idx.shape as [number, number, number];
  return tf.tidy(() => {
    const len = lengthsTensor(op, 'lengths', lengths, B, M);
    const out = gatherNeighbours(x, tf.clipByValue(idx, 0, Math.max(0, M - 1)), [B, N, K, C]); // [B, N, K, C]
    if (!len) return out;
    const ok = noGrad(() => [toFloat(tf.less(tf.expandDims(tf.range(0, K, 1, 'int32'), 0), tf.expandDims(len, 1)))])[0]; // [B, K]
    return tf.mul(out, tf.reshape(ok, [B, 1, K, 1]));
  });
}
