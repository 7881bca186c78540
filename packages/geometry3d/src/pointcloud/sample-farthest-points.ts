import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '@fovea/core';
import { noGrad } from '../_internal/autograd.js';
import { checkBoolean, checkInt, checkPoints, lengthsTensor, type LengthsInput } from '../_internal/checks.js';
import { boolToInt, toFloat } from '../_internal/dtype.js';
import { gatherNeighbours } from './knn-points.js';

/** Options for {@link sampleFarthestPoints}. @category Point clouds */
export interface SampleFarthestPointsOptions {
  /** Points to select per cloud; default 50. */
  K?: number;
  /** Valid points per cloud (`[B]`); default all `P`. */
  lengths?: LengthsInput | null;
  /** Start from a random valid point (core's generator) instead of point 0; default false. */
  randomStartPoint?: boolean;
  /** Random source for the start points (default: core's default generator). */
  generator?: Generator;
}

/** What {@link sampleFarthestPoints} returns (the caller disposes the tensors). @category Point clouds */
export interface FarthestPointsResult {
  /** `[B, K, D]` selected points (zero where a cloud has fewer than K points); differentiable in `points`. */
  points: tf.Tensor;
  /** int32 `[B, K]` their indices (-1 where a cloud has fewer than K points). */
  idx: tf.Tensor;
}

/**
 * Farthest point sampling (PyTorch3D's `sample_farthest_points`): starting
 * from point 0 (or a random one), repeatedly select the point whose squared
 * distance to the nearest already-selected point is largest, giving an even
 * subsample of a cloud. Runs `K` small device steps; no read-back.
 *
 * @param points `[B, P, D]`.
 * @param opts K, lengths, randomStartPoint, generator.
 * @returns `points [B, K, D]` and `idx` int32 `[B, K]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sampleFarthestPoints } from '@fovea/geometry3d';
 * const pts = tf.tensor3d([[[0, 0, 0], [0.1, 0, 0], [5, 0, 0], [2, 0, 0]]]);
 * const { idx } = sampleFarthestPoints(pts, { K: 3 });
 * await idx.data(); // [0, 2, 3]
 * ```
 * @category Point clouds
 */
export function sampleFarthestPoints(points: tf.Tensor, opts: SampleFarthestPointsOptions = {}): FarthestPointsResult {
  const op = 'sampleFarthestPoints';
  checkPoints(op, 'points', points, {});
  const [B, P, D] = points.shape as [number, number, number];
  const K = checkInt(op, 'options.K', opts.K ?? 50, 1);
  const random = checkBoolean(op, 'options.randomStartPoint', opts.randomStartPoint ?? false);
  const g = opts.generator ?? defaultGenerator();
  const startFrac = Array.from({ length: B }, () => (random ? g.random() : 0));
  return tf.tidy(() => {
    const len = lengthsTensor(op, 'options.lengths', opts.lengths, B, P) ?? tf.fill([B], P, 'int32'); // [B]
    const idx = noGrad(() => [farthestIndices(points, len, K, startFrac)])[0]; // [B, K], -1 padded
    const ok = noGrad(() => [tf.greaterEqual(idx, tf.scalar(0, 'int32'))])[0]; // [B, K]
    const safe = noGrad(() => [tf.mul(idx, boolToInt(ok))])[0];
    const sel = P === 0 ? tf.zeros([B, K, D]) : tf.reshape(gatherNeighbours(points, tf.expandDims(safe, 2), [B, K, 1, D]), [B, K, D]);
    return { points: tf.mul(sel, tf.expandDims(toFloat(ok), 2)), idx } as unknown as tf.TensorContainerObject;
  }) as unknown as FarthestPointsResult;
}

function farthestIndices(points: tf.Tensor, len: tf.Tensor, K: number, startFrac: number[]): tf.Tensor {
  const [B, P] = points.shape as [number, number];
  if (P === 0) return tf.fill([B, K], -1, 'int32');
  const valid = tf.less(tf.expandDims(tf.range(0, P, 1, 'int32'), 0), tf.expandDims(len, 1)); // [B, P]
  const rowBase = tf.range(0, B * P, P, 'int32'); // [B]
  const flat = tf.reshape(points, [B * P, -1]); // [B·P, D]
  // start: floor(frac · length), frac uniform in [0, 1)
  const start = tf.cast(tf.floor(tf.mul(tf.tensor1d(startFrac), toFloat(len))), 'int32'); // [B]
  let sel = tf.minimum(start, tf.maximum(tf.sub(len, tf.scalar(1, 'int32')), tf.scalar(0, 'int32'))); // [B]
  let dist = tf.where(valid, tf.fill([B, P], Infinity), tf.fill([B, P], -1)); // [B, P]
  const chosen: tf.Tensor[] = [];
  for (let k = 0; k < K; k++) {
    chosen.push(sel);
    if (k === K - 1) break;
    const next = tf.tidy(() => {
      const p = tf.expandDims(tf.gather(flat, tf.add(rowBase, sel)), 1); // [B, 1, D]
      const d = tf.sum(tf.square(tf.sub(points, p)), 2); // [B, P]
      const nd = tf.where(valid, tf.minimum(dist, d), dist);
      return [nd, tf.argMax(nd, 1)] as [tf.Tensor, tf.Tensor];
    });
    dist.dispose();
    dist = next[0];
    sel = next[1];
  }
  const idx = tf.stack(chosen, 1); // [B, K]
  const kOk = tf.less(tf.expandDims(tf.range(0, K, 1, 'int32'), 0), tf.expandDims(len, 1)); // [B, K]
  return tf.where(kOk, idx, tf.fill([B, K], -1, 'int32'));
}
