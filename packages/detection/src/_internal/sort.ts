/** Largest candidate count whose (score, index) pairs pack exactly into a float64 key (32 + 21 bits). */
const PACK_LIMIT = 1 << 21;

/**
 * Indices `0..n-1` (or the given subset) ordered by decreasing score, ties by
 * increasing index (a stable order, so every backend and run agrees). Scores
 * must not be NaN. Each (float32 score, index) pair is packed into one exact
 * float64 integer key so the sort is a native numeric typed-array sort, with
 * no comparator calls.
 */
export function argsortDesc(scores: ArrayLike<number>, subset?: Int32Array): Int32Array {
  const idx = subset ?? Int32Array.from({ length: scores.length }, (_, i) => i);
  const n = idx.length;
  if (n < 2) return Int32Array.from(idx);
  if (n > PACK_LIMIT || scores.length > PACK_LIMIT) return argsortSlow(scores, idx);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const keys = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const i = idx[t]!;
    f[0] = scores[i]! === 0 ? 0 : scores[i]!; // -0 sorts with +0
    const bits = u[0]!;
    // float32 bits → an unsigned key increasing with the score; flipped so higher scores come first
    const asc = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[t] = (0xffffffff - asc) * PACK_LIMIT + i;
  }
  keys.sort();
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) out[t] = keys[t]! % PACK_LIMIT;
  return out;
}

function argsortSlow(scores: ArrayLike<number>, idx: Int32Array): Int32Array {
  const n = idx.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = -scores[idx[i]!]!;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]! || idx[a]! - idx[b]!);
  return Int32Array.from(order, (o) => idx[o]!);
}
