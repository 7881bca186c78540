/**
 * Private: exact L2 nearest neighbours with a low-dimensional lower bound
 * ("filter and refine"), for training sets whose variance lies mostly in a
 * few directions (images such as the digits).
 *
 * With an orthonormal basis `P` `[D, r]` of the principal subspace (found by a
 * randomized range finder), every row is split into its projection
 * `z = Pᵀ(x - μ)` and the length `ρ = |x - μ - P z|` of its residual. Because the
 * residual parts are orthogonal to the subspace,
 *
 *     |q - x|² = |z_q - z_x|² + |res_q - res_x|² ≥ |z_q - z_x|² + (ρ_q - ρ_x)²  =: lb,
 *
 * and `lb = N_q + N_x - 2 [z_q, ρ_q]·[z_x, ρ_x]` (with `N = |· - μ|²`) is one
 * `[B, r + 2] @ [r + 2, N]` product: ~10× less work than the full `[B, D] @ [D, N]`.
 * Each query then computes exact float64 distances (on the host, with
 * early exit) only for rows whose bound, minus a float32 safety margin, does not
 * exceed its current k-th best distance. The result is the exact k nearest rows,
 * ties to the lower index, whatever the data; the bound only decides how fast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '../random/generator.js';

/** Subspace dimension r. */
const RANK = 64;
/** Rows used to estimate the subspace. */
const SAMPLE = 2048;
/** Power iterations of the range finder. */
const POWER_ITERATIONS = 3;
/** Use the bound only if the subspace holds at least this share of the variance (the digits: 0.87). */
const MIN_ENERGY = 0.75;

/** A training set prepared for bounded search. @internal */
export interface PrunedIndex {
  n: number;
  /** Feature columns kept (non-zero somewhere in training), `D'`. */
  dk: number;
  /** `[N, D']` training rows on the host, kept columns only. */
  host: Float32Array;
  /**
   * The columns kept on the host (length `D'`): those non-zero somewhere in
   * training, by decreasing variance, so the early exit of a distance that cannot
   * win comes sooner.
   */
  cols: Int32Array;
  /** `[N]` each row's safety margin for the float32 bound: `1e-3 · N_x`, `N_x = |x - μ|²`. */
  margins: Float32Array;
  /** `[D]` mean μ. */
  mean: tf.Tensor;
  /** `[D, r]` orthonormal basis. */
  basis: tf.Tensor;
  /** `[r + 2, N]` `[-2 Zᵀ; -2 ρᵀ; Nᵀ]`. */
  table: tf.Tensor;
}

/** Modified Gram–Schmidt on the `r` columns of `y` `[d, r]` (float64, in place); dependent columns become 0. */
function orthonormalize(y: Float64Array, d: number, r: number): void {
  let first = 0;
  for (let c = 0; c < r; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += y[i * r + c]! * y[i * r + p]!;
      for (let i = 0; i < d; i++) y[i * r + c] = y[i * r + c]! - dot * y[i * r + p]!;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += y[i * r + c]! ** 2;
    norm = Math.sqrt(norm);
    if (c === 0) first = norm;
    const scale = norm > 1e-9 * first && norm > 0 ? 1 / norm : 0;
    for (let i = 0; i < d; i++) y[i * r + c] = y[i * r + c]! * scale;
  }
}

/** An orthonormal `[D, r]` basis of the dominant subspace of the rows of `xc` (centred), by randomized range finding. */
async function dominantSubspace(cov: tf.Tensor, d: number, r: number): Promise<tf.Tensor> {
  const g = new Generator(0x6b6e6e); // private stream: never touches the default generator
  const omega = new Float64Array(d * r);
  for (let i = 0; i < omega.length; i++) omega[i] = g.normal();
  orthonormalize(omega, d, r);
  let q = tf.tensor2d(Float32Array.from(omega), [d, r]);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    const y = tf.matMul(cov, q); // [D, r]
    const host = Float64Array.from(await y.data());
    tf.dispose([y, q]);
    orthonormalize(host, d, r);
    q = tf.tensor2d(Float32Array.from(host), [d, r]);
  }
  return q;
}

/**
 * Prepares `x` `[N, D]` for bounded search, or returns `null` when brute force is
 * as good: small sets, few features, or variance spread over too many directions.
 * @internal
 */
export async function buildPruned(x: tf.Tensor, colsIn: Int32Array | null): Promise<PrunedIndex | null> {
  const [n, d] = x.shape as [number, number];
  const r = Math.min(RANK, Math.floor(d / 4));
  if (n < 1024 || r < 8) return null;
  const mean = tf.mean(x, 0); // [D]
  const cov = tf.tidy(() => {
    const step = n / Math.min(n, SAMPLE);
    const idx = Int32Array.from({ length: Math.min(n, SAMPLE) }, (_, i) => Math.floor(i * step));
    const xs = tf.sub(tf.gather(x, tf.tensor1d(idx, 'int32')), mean); // [S, D]
    return tf.matMul(xs, xs, true, false); // [D, D] (scale does not matter)
  });
  const basis = await dominantSubspace(cov, d, r);
  cov.dispose();
  const { table, norms, z2 } = tf.tidy(() => {
    const xc = tf.sub(x, mean); // [N, D]
    const z = tf.matMul(xc, basis); // [N, r]
    const nx = tf.sum(tf.square(xc), 1); // [N]
    const zz = tf.sum(tf.square(z), 1); // [N]
    const rho = tf.sqrt(tf.relu(tf.sub(nx, zz))); // [N]
    const t = tf.concat([tf.mul(tf.transpose(z), -2), tf.reshape(tf.mul(rho, -2), [1, n]), tf.reshape(nx, [1, n])], 0); // [r + 2, N]
    return { table: t, norms: nx, z2: zz };
  });
  const [nv, zv] = await Promise.all([norms.data(), z2.data()]);
  tf.dispose([norms, z2]);
  let total = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    total += nv[i]!;
    kept += zv[i]!;
  }
  if (!(total > 0) || kept / total < MIN_ENERGY) {
    tf.dispose([mean, basis, table]);
    return null;
  }
  const full = (await x.data()) as Float32Array;
  const cols = varianceOrder(full, n, d, colsIn);
  const dk = cols.length;
  const host = new Float32Array(n * dk);
  for (let i = 0; i < n; i++) for (let c = 0; c < dk; c++) host[i * dk + c] = full[i * d + cols[c]!]!;
  const margins = Float32Array.from(nv, (v) => 1e-3 * v);
  return { n, dk, host, cols, margins, mean, basis, table };
}

/** The columns of `colsIn` (all when null) sorted by decreasing variance over the rows of `full` `[N, D]`. */
function varianceOrder(full: Float32Array, n: number, d: number, colsIn: Int32Array | null): Int32Array {
  const cols = colsIn ?? Int32Array.from({ length: d }, (_, i) => i);
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = full[i * d + c]!;
      sum[c] = sum[c]! + v;
      sq[c] = sq[c]! + v * v;
    }
  }
  const variance = (c: number) => sq[c]! / n - (sum[c]! / n) ** 2;
  return Int32Array.from([...cols].sort((a, b) => variance(b) - variance(a) || a - b));
}

/** @internal */
export function disposePruned(ix: PrunedIndex): void {
  tf.dispose([ix.mean, ix.basis, ix.table]);
}

/** `[B, N]` bound scores `lb - N_q` and `[B]` `N_q` for the query rows `q` `[B, D]`. */
function bounds(ix: PrunedIndex, q: tf.Tensor): { s: tf.Tensor; nq: tf.Tensor } {
  return tf.tidy(() => {
    const qc = tf.sub(q, ix.mean); // [B, D]
    const z = tf.matMul(qc, ix.basis); // [B, r]
    const nq = tf.sum(tf.square(qc), 1); // [B]
    const rho = tf.sqrt(tf.relu(tf.sub(nq, tf.sum(tf.square(z), 1)))); // [B]
    const left = tf.concat([z, tf.expandDims(rho, 1), tf.ones([q.shape[0]!, 1])], 1); // [B, r + 2]
    return { s: tf.matMul(left, ix.table), nq }; // [B, N]
  });
}

/** Squared distance in float64 between query `qv` (kept columns) and training row `j`; stops early above `limit`. */
function distance(ix: PrunedIndex, qv: Float64Array, j: number, base: number, limit: number): number {
  const h = ix.host;
  const off = j * ix.dk;
  let s = base; // the query's energy in columns that are zero in every training row
  for (let c = 0; c < ix.dk; c += 32) {
    const end = Math.min(c + 32, ix.dk);
    for (let i = c; i < end; i++) {
      const t = qv[i]! - h[off + i]!;
      s += t * t;
    }
    if (s > limit) return s;
  }
  return s;
}

/** Inserts `(d, j)` into the sorted best lists (ties: lower index first). */
function insert(bestD: Float64Array, bestJ: Int32Array, d: number, j: number): void {
  const k = bestD.length;
  if (d > bestD[k - 1]! || (d === bestD[k - 1]! && j > bestJ[k - 1]!)) return;
  let p = k - 1;
  while (p > 0 && (bestD[p - 1]! > d || (bestD[p - 1]! === d && bestJ[p - 1]! > j))) {
    bestD[p] = bestD[p - 1]!;
    bestJ[p] = bestJ[p - 1]!;
    p--;
  }
  bestD[p] = d;
  bestJ[p] = j;
}

/** Copies query row `r` of `qAll` `[B, D]` into `qv` (kept columns, in order); returns its energy in the others. */
function packQuery(ix: PrunedIndex, qAll: ArrayLike<number>, r: number, d: number, qv: Float64Array): number {
  let all = 0;
  let kept = 0;
  for (let c = 0; c < d; c++) all += qAll[r * d + c]! ** 2;
  for (let c = 0; c < ix.dk; c++) {
    qv[c] = qAll[r * d + ix.cols[c]!]!;
    kept += qv[c]! ** 2;
  }
  return ix.dk === d ? 0 : Math.max(all - kept, 0);
}

/** The `seedJ.length` rows with the smallest bound scores in `sv[row … row + n)`, into `seedJ`. */
function smallestBounds(sv: ArrayLike<number>, row: number, n: number, seedD: Float64Array, seedJ: Int32Array): void {
  const m = seedD.length;
  seedD.fill(Infinity);
  seedJ.fill(-1);
  let worst = Infinity;
  for (let j = 0; j < n; j++) {
    const v = sv[row + j]!;
    if (!(v < worst)) continue;
    let p = m - 1;
    while (p > 0 && seedD[p - 1]! > v) {
      seedD[p] = seedD[p - 1]!;
      seedJ[p] = seedJ[p - 1]!;
      p--;
    }
    seedD[p] = v;
    seedJ[p] = j;
    worst = seedD[m - 1]!;
  }
}

/** Per-batch working memory of {@link searchPrunedBatch}. */
interface Scratch {
  qv: Float64Array;
  seedD: Float64Array;
  seedJ: Int32Array;
  bestD: Float64Array;
  bestJ: Int32Array;
  /** The query (tag) whose seeds a row was, so the scan does not measure it twice. */
  stamp: Int32Array;
}

/**
 * The k nearest rows of one packed query (into `w.bestD`/`w.bestJ`): exact distances of the
 * `2k` rows with the smallest bounds set a k-th distance, then the scan measures only the rows
 * whose bound can beat it. Returns how many rows the scan measured.
 */
function nearestOf(ix: PrunedIndex, sv: ArrayLike<number>, row: number, nq: number, base: number, tag: number, w: Scratch): number {
  const { qv, bestD, bestJ, stamp } = w;
  const k = bestD.length;
  smallestBounds(sv, row, ix.n, w.seedD, w.seedJ);
  bestD.fill(Infinity);
  bestJ.fill(ix.n);
  for (const j of w.seedJ) {
    stamp[j] = tag;
    insert(bestD, bestJ, distance(ix, qv, j, base, Infinity), j);
  }
  // lb = s + N_q, less a float32 margin of 1e-3·(N_q + N_x) (scale-free): a row is
  // skipped when that exceeds the k-th best, i.e. when s - margin_x > best - (1 - 1e-3)·N_q
  const shift = (1 - 1e-3) * nq;
  const margins = ix.margins;
  let thr = bestD[k - 1]! - shift;
  let work = 0;
  for (let j = 0; j < ix.n; j++) {
    if (sv[row + j]! - margins[j]! > thr || stamp[j] === tag) continue;
    work++;
    insert(bestD, bestJ, distance(ix, qv, j, base, bestD[k - 1]!), j);
    thr = bestD[k - 1]! - shift;
  }
  return work;
}

/**
 * The exact `k` nearest training rows of each query row `[B, D]` (indices into
 * `outIdx`, squared float64 distances into `outD`, row `offset` on). Resolves to
 * the number of rows whose exact distance was needed beyond the first `2k` per
 * query (the caller falls back to brute force when that gets large). @internal
 */
export async function searchPrunedBatch(
  ix: PrunedIndex,
  q: tf.Tensor,
  k: number,
  outIdx: Int32Array,
  outD: Float32Array,
  offset: number,
): Promise<number> {
  const [b, d] = q.shape as [number, number];
  const { s, nq } = bounds(ix, q);
  const [sv, nqv, qAll] = await Promise.all([s.data(), nq.data(), q.data()]);
  tf.dispose([s, nq]);
  const m = Math.min(ix.n, 2 * k);
  const w: Scratch = {
    qv: new Float64Array(ix.dk),
    seedD: new Float64Array(m),
    seedJ: new Int32Array(m),
    bestD: new Float64Array(k),
    bestJ: new Int32Array(k),
    stamp: new Int32Array(ix.n).fill(-1),
  };
  let work = 0;
  for (let r = 0; r < b; r++) {
    const base = packQuery(ix, qAll, r, d, w.qv);
    work += nearestOf(ix, sv, r * ix.n, nqv[r]!, base, r, w);
    outIdx.set(w.bestJ, (offset + r) * k);
    for (let p = 0; p < k; p++) outD[(offset + r) * k + p] = w.bestD[p]!;
  }
  return work;
}
