import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor } from '@fovea/core';
import { safeNorm, sumAxis } from '../_internal/autograd.js';
import { checkBoolean, checkPoints, lengthsTensor, type LengthsInput } from '../_internal/checks.js';
import { knnIndices, nearestBoth } from '../_internal/nearest.js';
import { gatherNeighbours, knnFromIndices } from './knn-points.js';
import { toFloat } from '../_internal/dtype.js';

/** How {@link chamferDistance} reduces over the points of a cloud. @category Point clouds */
export type PointReduction = 'mean' | 'sum' | 'none';
/** How {@link chamferDistance} reduces over the batch. @category Point clouds */
export type BatchReduction = 'mean' | 'sum' | 'none';

/** Options for {@link chamferDistance}. @category Point clouds */
export interface ChamferDistanceOptions {
  /** Valid points per cloud of `x` (`[B]`); default all `P1`. */
  xLengths?: LengthsInput | null;
  /** Valid points per cloud of `y` (`[B]`); default all `P2`. */
  yLengths?: LengthsInput | null;
  /** `[B, P1, D]` normals of `x`; with `yNormals`, also computes `lossNormals`. */
  xNormals?: tf.Tensor | null;
  /** `[B, P2, D]` normals of `y`. */
  yNormals?: tf.Tensor | null;
  /** `[B]` non-negative weights of the batch elements; default none (all 1). */
  weights?: tf.Tensor | null;
  /** `'mean'` (default), `'sum'` or `'none'` (a value per batch element). Must be `'none'` when `pointReduction` is. */
  batchReduction?: BatchReduction;
  /** `'mean'` (default: divide each cloud's sum by its length), `'sum'` or `'none'` (per-point terms). */
  pointReduction?: PointReduction;
  /** 2: squared Euclidean distances (default); 1: L1 distances. */
  norm?: 1 | 2;
  /** Only the `x → y` term; default false (both directions). */
  singleDirectional?: boolean;
  /** Normal term `1 - |cos|` (default true: orientation ignored) or `1 - cos`. */
  absCosine?: boolean;
}

/** What {@link chamferDistance} returns (the caller disposes the tensors). @category Point clouds */
export interface ChamferResult {
  /**
   * The loss: a scalar for batch reduction `'mean'`/`'sum'`, `[B]` for `'none'`;
   * with point reduction `'none'`, the per-point `x → y` terms `[B, P1]`.
   */
  loss: tf.Tensor;
  /** With point reduction `'none'` (and not single-directional): the `y → x` terms `[B, P2]`; else null. */
  lossY: tf.Tensor | null;
  /** The normal term (same shape as `loss`) when both normals were given, else null. */
  lossNormals: tf.Tensor | null;
  /** The `y → x` normal terms `[B, P2]` with point reduction `'none'`, else null. */
  lossNormalsY: tf.Tensor | null;
}

interface Direction {
  cham: tf.Tensor;
  chamNorm: tf.Tensor | null;
}

/**
 * Chamfer distance between two batches of point clouds, PyTorch3D's
 * `chamfer_distance`: for every point of `x` the (squared, by default)
 * distance to its nearest neighbour in `y`, and the other way round, reduced
 * over points and then over the batch. Optional normals add PyTorch3D's
 * cosine term. Differentiable in `x`, `y` and the normals, with the
 * nearest-neighbour assignment treated as constant (`y` also gets gradient
 * from the `x` points it is nearest to when single-directional). The
 * neighbour search is tiled: memory stays bounded for large clouds.
 *
 * @param x `[B, P1, D]` points.
 * @param y `[B, P2, D]` points.
 * @param opts reductions, lengths, normals, weights, norm, single direction.
 * @returns `{ loss, lossY, lossNormals, lossNormalsY }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { chamferDistance } from '@fovea/geometry3d';
 * const x = tf.tensor3d([[[0, 0, 0], [1, 0, 0]]]);
 * const y = tf.tensor3d([[[0, 0, 1]]]);
 * const { loss } = chamferDistance(x, y);
 * await loss.data(); // [2.5]: mean(1, 2) + mean(1)
 * ```
 * @category Point clouds
 */
export function chamferDistance(x: tf.Tensor, y: tf.Tensor, opts: ChamferDistanceOptions = {}): ChamferResult {
  const op = 'chamferDistance';
  const dims: Record<string, number> = {};
  checkPoints(op, 'x', x, dims, 'P1');
  checkPoints(op, 'y', y, dims, 'P2');
  const [B, P1, D] = x.shape as [number, number, number];
  const P2 = y.shape[1]!;
  const pointReduction = checkOneOf(op, 'options.pointReduction', opts.pointReduction ?? 'mean', ['mean', 'sum', 'none'] as const);
  const batchReduction = checkOneOf(op, 'options.batchReduction', opts.batchReduction ?? 'mean', ['mean', 'sum', 'none'] as const);
  if (pointReduction === 'none' && batchReduction !== 'none') {
    throw new FoveaError({ op, arg: 'options.batchReduction', expected: "'none' when pointReduction is 'none'", got: `'${batchReduction}'` });
  }
  const norm = opts.norm ?? 2;
  if (norm !== 1 && norm !== 2) throw new FoveaError({ op, arg: 'options.norm', expected: '1 or 2', got: String(norm) });
  const single = checkBoolean(op, 'options.singleDirectional', opts.singleDirectional ?? false);
  const absCos = checkBoolean(op, 'options.absCosine', opts.absCosine ?? true);
  const xN = opts.xNormals ?? null;
  const yN = opts.yNormals ?? null;
  if (xN) checkTensor(op, 'options.xNormals', xN, { shape: [B, P1, D], dtype: 'float32' });
  if (yN) checkTensor(op, 'options.yNormals', yN, { shape: [B, P2, D], dtype: 'float32' });
  const w = opts.weights ?? null;
  if (w) checkTensor(op, 'options.weights', w, { shape: [B], dtype: 'float32' });

  return tf.tidy(() => {
    const xl = lengthsTensor(op, 'options.xLengths', opts.xLengths, B, P1);
    const yl = lengthsTensor(op, 'options.yLengths', opts.yLengths, B, P2);
    const withNormals = xN !== null && yN !== null;
    const reduce = (t: tf.Tensor, len: tf.Tensor | null, P: number): tf.Tensor => reduceTerms(t, len, P, w, pointReduction, batchReduction, B);
    const [ix, iy] = single ? [nearestOneWay(x, y, yl, norm), null] : nearestBoth(x, y, xl, yl, norm); // [B, P1, 1], [B, P2, 1]
    const dx = direction(x, y, ix, xl, yl, withNormals ? xN : null, yN, w, norm, absCos);
    const out: Record<string, tf.Tensor | null> = { loss: null, lossY: null, lossNormals: null, lossNormalsY: null };
    if (single) {
      out['loss'] = reduce(dx.cham, xl, P1);
      out['lossNormals'] = dx.chamNorm ? reduce(dx.chamNorm, xl, P1) : null;
      return out as unknown as tf.TensorContainerObject;
    }
    const dy = direction(y, x, iy!, yl, xl, withNormals ? yN : null, xN, w, norm, absCos);
    if (pointReduction === 'none') {
      Object.assign(out, { loss: dx.cham, lossY: dy.cham, lossNormals: dx.chamNorm, lossNormalsY: dy.chamNorm });
    } else {
      out['loss'] = tf.add(reduce(dx.cham, xl, P1), reduce(dy.cham, yl, P2));
      out['lossNormals'] = dx.chamNorm && dy.chamNorm ? tf.add(reduce(dx.chamNorm, xl, P1), reduce(dy.chamNorm, yl, P2)) : null;
    }
    return out as unknown as tf.TensorContainerObject;
  }) as unknown as ChamferResult;
}

/** int32 `[B, P1, 1]`: each point's nearest neighbour in `y` (0 when `y` is empty). */
function nearestOneWay(x: tf.Tensor, y: tf.Tensor, yl: tf.Tensor | null, norm: 1 | 2): tf.Tensor {
  const [B, P1] = x.shape as [number, number];
  return y.shape[1]! > 0 ? knnIndices(x, y, 1, norm, yl) : tf.zeros([B, P1, 1], 'int32');
}

/** Per-point terms of one direction: `[B, P]` distances (and normal terms). */
function direction(
  a: tf.Tensor,
  b: tf.Tensor,
  found: tf.Tensor,
  al: tf.Tensor | null,
  bl: tf.Tensor | null,
  aN: tf.Tensor | null,
  bN: tf.Tensor | null,
  w: tf.Tensor | null,
  norm: 1 | 2,
  absCos: boolean,
): Direction {
  const [B, P] = a.shape as [number, number];
  const nn = knnFromIndices(a, b, found, 1, norm, al, bl, false);
  const wCol = w ? tf.reshape(w, [B, 1]) : null;
  let cham = tf.squeeze(nn.dists, [2]); // [B, P]; padded rows are 0
  if (wCol) cham = tf.mul(cham, wCol);
  let chamNorm: tf.Tensor | null = null;
  if (aN && bN) {
    const near = tf.reshape(gatherNeighbours(bN, nn.idx, [B, P, 1, bN.shape[2]!]), [B, P, bN.shape[2]!]); // [B, P, D]
    const cos = tf.div(tf.sum(tf.mul(aN, near), 2), tf.mul(tf.maximum(safeNorm(aN), 1e-6), tf.maximum(safeNorm(near), 1e-6))); // [B, P]
    chamNorm = tf.sub(1, absCos ? tf.abs(cos) : cos);
    if (al) chamNorm = tf.mul(chamNorm, toFloat(tf.less(tf.expandDims(tf.range(0, P, 1, 'int32'), 0), tf.expandDims(al, 1))));
    if (wCol) chamNorm = tf.mul(chamNorm, wCol);
  }
  return { cham, chamNorm };
}

function reduceTerms(
  t: tf.Tensor,
  len: tf.Tensor | null,
  P: number,
  w: tf.Tensor | null,
  pointReduction: PointReduction,
  batchReduction: BatchReduction,
  B: number,
): tf.Tensor {
  if (pointReduction === 'none') return t; // [B, P]
  let s = sumAxis(t, 1); // [B]
  if (pointReduction === 'mean') s = tf.div(s, len ? tf.maximum(toFloat(len), 1) : Math.max(P, 1));
  if (batchReduction === 'none') return s;
  const total = sumAxis(s, 0);
  if (batchReduction === 'sum') return total;
  if (!w) return tf.div(total, Math.max(B, 1));
  const ws = sumAxis(w, 0);
  return tf.div(total, tf.where(tf.equal(ws, 0), tf.onesLike(ws), ws)); // all-zero weights: 0, as PyTorch3D
}
