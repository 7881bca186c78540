/**
 * Private nearest-neighbour search shared by the kNN classifier and its
 * cross-validation. Brute force: batched distance scores on the backend, then
 * the k smallest per row (on the host, or with `tf.topk` on WebGPU where reading
 * the whole score matrix back would cost a GPU→CPU copy). For large L2 training
 * sets on wasm/cpu whose variance sits in few directions, the exact bounded
 * search of `_pruned.ts` instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { safeSum } from '../losses/_common.js';
import { buildPruned, disposePruned, searchPrunedBatch, type PrunedIndex } from './_pruned.js';

/** Distance metric: Euclidean (`'l2'`) or Manhattan (`'l1'`). @category Classifiers */
export type KNNMetric = 'l2' | 'l1';

/** Score elements per batch (4 Mi floats = 16 MiB) unless the caller sets a batch size. */
const BUDGET = 1 << 22;

/** A training set prepared for search. @internal */
export interface NeighborIndex {
  metric: KNNMetric;
  n: number;
  d: number;
  /** l2: `[D + 1, N]` = `[-2·Xᵀ; |x|²]`, so `[q, 1] @ it = |x|² - 2 q·x` ranks by distance in one matmul. */
  augmented: tf.Tensor | null;
  /** `[N, D]` the training rows: l1, and l2 with a bounded search (for the brute-force fallback). */
  rows: tf.Tensor | null;
  /**
   * l2: int32 `[D']` the feature columns that are non-zero somewhere in the
   * training set, or `null` for all. A column that is zero in every training row
   * adds the same `q_d²` to a query's distance to every row, so leaving it out of
   * the product changes no ranking (and `|q|²` is added back in full for distances):
   * 111 of the 784 pixels of the digits, 14 % of the work.
   */
  columns: tf.Tensor | null;
  /** l2 on wasm/cpu: the bounded exact search's data (`augmented` is then built only if needed), or null. */
  pruned: PrunedIndex | null;
  /** The smallest k for which the bounded search proved slower than brute force (it then is not used). */
  slowK: number;
}

/** Largest k the bounded search is tried for (its k-th distance, and so its candidates, grow with k). */
const MAX_PRUNED_K = 64;

/**
 * Prepares `x` `[N, D]` for search (the index owns new tensors; dispose with
 * {@link disposeIndex}). `maxK`, when known, skips preparing a bounded search
 * that k could not use. @internal
 */
export async function buildIndex(x: tf.Tensor, metric: KNNMetric, maxK = 1): Promise<NeighborIndex> {
  const [n, d] = x.shape as [number, number];
  const base = { metric, n, d, augmented: null, columns: null, pruned: null, slowK: Infinity };
  if (metric === 'l1') return { ...base, rows: tf.clone(x) };
  const colMax = tf.tidy(() => tf.max(tf.abs(x), 0)); // [D]
  const used = n > 0 && d > 0 ? await colMax.data() : new Float32Array(0);
  colMax.dispose();
  const keep: number[] = [];
  used.forEach((v, i) => v !== 0 && keep.push(i));
  // prune only when it saves real work (the gathers cost a little)
  const cols = keep.length > 0 && keep.length <= 0.95 * d ? Int32Array.from(keep) : null;
  const columns = cols ? tf.tensor1d(cols, 'int32') : null;
  // on WebGPU the bounded search would read the data back; brute force stays on the device
  const pruned = tf.getBackend() === 'webgpu' || maxK > MAX_PRUNED_K ? null : await buildPruned(x, cols);
  if (pruned) return { ...base, rows: tf.clone(x), columns, pruned };
  return { ...base, rows: null, columns, augmented: augmentedTable(x, columns) };
}

/** `[D' + 1, N]` = `[-2·Xᵀ; |x|²]` over the kept columns. */
function augmentedTable(x: tf.Tensor, columns: tf.Tensor | null): tf.Tensor {
  const n = x.shape[0]!;
  return tf.tidy(() => {
    const kept = columns ? tf.gather(x, columns, 1) : x; // [N, D']
    return tf.concat([tf.mul(tf.transpose(kept), -2), tf.reshape(safeSum(tf.square(kept), 1), [1, n])], 0); // [D' + 1, N]
  });
}

/** @internal */
export function disposeIndex(index: NeighborIndex): void {
  tf.dispose([index.augmented, index.rows, index.columns].filter((t): t is tf.Tensor => t !== null));
  if (index.pruned) disposePruned(index.pruned);
}

/** Test rows per batch for `batchSize` (0 = automatic). @internal */
export function rowsPerBatch(index: NeighborIndex, batchSize: number): number {
  if (batchSize > 0) return batchSize;
  const perRow = index.metric === 'l1' ? index.n * index.d : index.n;
  return Math.max(1, Math.floor(BUDGET / Math.max(perRow, 1)));
}

/** `[B, N]` scores that rank training rows like the distance to each query row (l2: minus `|q|²`). */
function scores(index: NeighborIndex, q: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (index.metric === 'l2') {
      index.augmented ??= tf.keep(augmentedTable(index.rows!, index.columns)); // built on first brute-force use
      const kept = index.columns ? tf.gather(q, index.columns, 1) : q; // [B, D']
      const ones = tf.ones([q.shape[0]!, 1]);
      return tf.matMul(tf.concat([kept, ones], 1), index.augmented); // [B, N]
    }
    // l1: [B, 1, D] - [1, N, D] in chunks of training rows that fit the budget
    const chunk = Math.max(1, Math.floor(BUDGET / Math.max(q.shape[0]! * index.d, 1)));
    const parts: tf.Tensor[] = [];
    const qe = tf.expandDims(q, 1); // [B, 1, D]
    for (let s = 0; s < index.n; s += chunk) {
      const rows = tf.slice(index.rows!, [s, 0], [Math.min(chunk, index.n - s), index.d]); // [t, D]
      parts.push(safeSum(tf.abs(tf.sub(qe, tf.expandDims(rows, 0))), 2)); // [B, t]
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
  });
}

/** The `k` smallest entries of each row of `s` `[B, N]` (ties: lower index first), read on the host. */
function selectHost(s: Float32Array, b: number, n: number, k: number, outIdx: Int32Array, outVal: Float32Array, offset: number): void {
  const bv = new Float64Array(k);
  const bi = new Int32Array(k);
  for (let r = 0; r < b; r++) {
    bv.fill(Infinity);
    bi.fill(-1);
    const base = r * n;
    let worst = Infinity;
    for (let j = 0; j < n; j++) {
      const v = s[base + j]!;
      if (!(v < worst)) continue;
      let p = k - 1;
      while (p > 0 && bv[p - 1]! > v) {
        bv[p] = bv[p - 1]!;
        bi[p] = bi[p - 1]!;
        p--;
      }
      bv[p] = v;
      bi[p] = j;
      worst = bv[k - 1]!;
    }
    outIdx.set(bi, (offset + r) * k);
    for (let p = 0; p < k; p++) outVal[(offset + r) * k + p] = bv[p]!;
  }
}

/** Nearest training rows of every query row, nearest first. @internal */
export interface Neighbors {
  /** `M · k` training indices, row-major `[M, k]`. */
  indices: Int32Array;
  /** `M · k` distances (Euclidean for l2, Manhattan for l1), row-major `[M, k]`. */
  distances: Float32Array;
}

/**
 * The `k` nearest training rows of each row of `q` `[M, D]`, in batches; calls
 * `onBatch(done, total)` after each. @internal
 */
export async function searchNeighbors(
  index: NeighborIndex,
  q: tf.Tensor,
  k: number,
  batchSize = 0,
  onBatch?: (done: number, total: number) => void,
): Promise<Neighbors> {
  const m = q.shape[0]!;
  const indices = new Int32Array(m * k);
  const distances = new Float32Array(m * k);
  const step = rowsPerBatch(index, batchSize);
  const onDevice = tf.getBackend() === 'webgpu';
  for (let start = 0; start < m; start += step) {
    const b = Math.min(step, m - start);
    const qb = tf.slice(q, [start, 0], [b, index.d]); // [B, D]
    if (index.pruned && k <= MAX_PRUNED_K && k < index.slowK) {
      let work = 0;
      try {
        work = await searchPrunedBatch(index.pruned, qb, k, indices, distances, start);
      } finally {
        qb.dispose();
      }
      // exact distances for more than 1/16 of the rows cost more than the brute-force product
      if (work > (b * index.n) / 16) index.slowK = Math.min(index.slowK, k);
      for (let e = start * k; e < (start + b) * k; e++) distances[e] = Math.sqrt(distances[e]!);
      onBatch?.(start + b, m);
      continue;
    }
    const sb = scores(index, qb); // [B, N]
    const qq = index.metric === 'l2' ? tf.tidy(() => safeSum(tf.square(qb), 1)) : null; // [B]
    qb.dispose();
    try {
      if (onDevice) {
        const { values, indices: idx } = tf.tidy(() => tf.topk(tf.neg(sb), k, true));
        const [v, i] = await Promise.all([values.data(), idx.data()]);
        tf.dispose([values, idx]);
        indices.set(i as Int32Array, start * k);
        for (let e = 0; e < b * k; e++) distances[start * k + e] = -v[e]!;
      } else {
        selectHost((await sb.data()) as Float32Array, b, index.n, k, indices, distances, start);
      }
      if (qq) {
        const norms = await qq.data();
        for (let r = 0; r < b; r++) {
          for (let p = 0; p < k; p++) {
            const e = (start + r) * k + p;
            distances[e] = Math.sqrt(Math.max(distances[e]! + norms[r]!, 0));
          }
        }
      }
    } finally {
      tf.dispose([sb, ...(qq ? [qq] : [])]);
    }
    onBatch?.(start + b, m);
  }
  return { indices, distances };
}

/**
 * Majority vote of the first `k` of each row's neighbours (`stride` per row);
 * ties go to the smallest label. @internal
 */
export function vote(neighbors: Int32Array, stride: number, k: number, labels: Int32Array, numClasses: number): Int32Array {
  const m = neighbors.length / stride;
  const out = new Int32Array(m);
  const counts = new Int32Array(numClasses);
  for (let r = 0; r < m; r++) {
    counts.fill(0);
    for (let p = 0; p < k; p++) counts[labels[neighbors[r * stride + p]!]!]!++;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (counts[c]! > counts[best]!) best = c;
    out[r] = best;
  }
  return out;
}
