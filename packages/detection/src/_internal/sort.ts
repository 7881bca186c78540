/**
 * Indices `0..n-1` (or the given subset) ordered by decreasing score, ties by
 * increasing index (a stable order, so every backend and run agrees).
 */
export function argsortDesc(scores: ArrayLike<number>, subset?: Int32Array): Int32Array {
  const idx = subset ? Int32Array.from(subset) : Int32Array.from({ length: scores.length }, (_, i) => i);
  const n = idx.length;
  if (n < 2) return idx;
  // negated scores in a flat Float64Array so the comparator reads typed arrays only
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = -scores[idx[i]!]!;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]! || idx[a]! - idx[b]!);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = idx[order[i]!]!;
  return out;
}
