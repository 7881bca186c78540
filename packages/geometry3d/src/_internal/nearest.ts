/**
 * Private tiled nearest-neighbour search: the indices of the K nearest points
 * of `p2` for every point of `p1`, computed a block of `p1` rows at a time so
 * that the full `P1 × P2` distance matrix is never held (a tile holds at most
 * {@link TILE_ELEMENTS} distances). The search runs off the gradient tape;
 * callers recompute exact distances from the indices with differentiable
 * gathers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { noGrad } from './autograd.js';
import { toFloat } from './dtype.js';
import { jsKernelsAvailable, jsKnn, jsNearestBoth } from './js-kernels.js';

/** Distances per tile (16 MiB of float32). */
export const TILE_ELEMENTS = 1 << 22;

/** A large finite distance for excluded (padded) points of `p2`. */
const FAR = 1e30;

/**
 * The `K` nearest points of `p2` for each point of `p1`, nearest first.
 *
 * @param p1 `[B, P1, D]`.
 * @param p2 `[B, P2, D]`, `P2 >= K >= 1`.
 * @param K neighbours per point.
 * @param norm 2 (Euclidean) or 1 (L1) distances.
 * @param lengths2 int32 `[B]` valid points per cloud of `p2` (padded ones are
 *   never chosen while a valid one exists), or null.
 * @returns int32 `[B, P1, K]` indices into `p2` (a constant for autograd).
 */
export function knnIndices(p1: tf.Tensor, p2: tf.Tensor, K: number, norm: 1 | 2, lengths2: tf.Tensor | null): tf.Tensor {
  const [B, P1, D] = p1.shape as [number, number, number];
  const P2 = p2.shape[1]!;
  if (B === 0 || P1 === 0 || K === 0) return tf.zeros([B, P1, K], 'int32');
  return noGrad(() => [
    tf.tidy(() => {
      if (jsKernelsAvailable()) return jsKnn(p1, p2, lengths2 ?? tf.fill([B], P2, 'int32'), K, norm);
      const bias = lengths2 ? farBias(lengths2, P2) : null; // [B, 1, P2] or null
      return norm === 2 ? searchL2(p1, p2, K, bias) : searchL1(p1, p2, K, D, bias);
    }),
  ])[0];
}

/**
 * The nearest neighbour in both directions, for Chamfer: int32 `[B, P1, 1]`
 * (each point of `x` in `y`) and `[B, P2, 1]` (each point of `y` in `x`). On
 * wasm and cpu one streaming pass serves both directions.
 */
export function nearestBoth(x: tf.Tensor, y: tf.Tensor, lx: tf.Tensor | null, ly: tf.Tensor | null, norm: 1 | 2): [tf.Tensor, tf.Tensor] {
  const [B, P1] = x.shape as [number, number];
  const P2 = y.shape[1]!;
  if (B > 0 && P1 > 0 && P2 > 0 && jsKernelsAvailable()) {
    return noGrad(() => jsNearestBoth(x, y, lx ?? tf.fill([B], P1, 'int32'), ly ?? tf.fill([B], P2, 'int32'), norm));
  }
  const ix = P2 > 0 ? knnIndices(x, y, 1, norm, ly) : tf.zeros([B, P1, 1], 'int32');
  const iy = P1 > 0 ? knnIndices(y, x, 1, norm, lx) : tf.zeros([B, P2, 1], 'int32');
  return [ix, iy];
}

function farBias(lengths2: tf.Tensor, P2: number): tf.Tensor {
  const pad = tf.greaterEqual(tf.expandDims(tf.range(0, P2, 1, 'int32'), 0), tf.expandDims(lengths2, 1)); // [B, P2]
  return tf.expandDims(tf.mul(toFloat(pad), FAR), 1); // [B, 1, P2]
}

function pick(d: tf.Tensor, K: number): tf.Tensor {
  // d: [B, c, P2] → [B, c, K]
  return K === 1 ? tf.expandDims(tf.argMin(d, 2), 2) : tf.topk(tf.neg(d), K, true).indices;
}

/**
 * Squared distances as one matrix product of augmented coordinates:
 * `[a, 1, |a|²] · [-2b, |b|², 1]ᵀ = |a|² + |b|² - 2 a·b`, after centring both
 * clouds on `p2`'s mean so large coordinates do not cancel catastrophically.
 */
function searchL2(p1: tf.Tensor, p2: tf.Tensor, K: number, bias: tf.Tensor | null): tf.Tensor {
  const [B, P1] = p1.shape as [number, number];
  const P2 = p2.shape[1]!;
  const center = tf.mean(p2, 1, true); // [B, 1, D]
  const a = tf.sub(p1, center); // [B, P1, D]
  const b = tf.sub(p2, center); // [B, P2, D]
  const aAug = tf.concat([a, tf.onesLike(tf.slice(a, [0, 0, 0], [-1, -1, 1])), tf.sum(tf.square(a), 2, true)], 2); // [B, P1, D+2]
  let bNorm = tf.sum(tf.square(b), 2, true); // [B, P2, 1]
  if (bias) bNorm = tf.add(bNorm, tf.transpose(bias, [0, 2, 1]));
  const bAug = tf.concat([tf.mul(b, -2), bNorm, tf.onesLike(bNorm)], 2); // [B, P2, D+2]
  const bAugT = tf.transpose(bAug, [0, 2, 1]); // [B, D+2, P2]
  const rows = Math.max(1, Math.floor(TILE_ELEMENTS / Math.max(1, B * P2)));
  const parts: tf.Tensor[] = [];
  for (let s = 0; s < P1; s += rows) {
    const c = Math.min(rows, P1 - s);
    parts.push(
      tf.tidy(() => {
        const d = tf.matMul(tf.slice(aAug, [0, s, 0], [-1, c, -1]), bAugT); // [B, c, P2]
        return pick(d, K);
      }),
    );
  }
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1); // [B, P1, K]
}

function searchL1(p1: tf.Tensor, p2: tf.Tensor, K: number, D: number, bias: tf.Tensor | null): tf.Tensor {
  const [B, P1] = p1.shape as [number, number];
  const P2 = p2.shape[1]!;
  const b = tf.expandDims(p2, 1); // [B, 1, P2, D]
  const rows = Math.max(1, Math.floor(TILE_ELEMENTS / Math.max(1, B * P2 * D)));
  const parts: tf.Tensor[] = [];
  for (let s = 0; s < P1; s += rows) {
    const c = Math.min(rows, P1 - s);
    parts.push(
      tf.tidy(() => {
        const a = tf.expandDims(tf.slice(p1, [0, s, 0], [-1, c, -1]), 2); // [B, c, 1, D]
        let d = tf.sum(tf.abs(tf.sub(a, b)), 3); // [B, c, P2]
        if (bias) d = tf.add(d, bias);
        return pick(d, K);
      }),
    );
  }
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
