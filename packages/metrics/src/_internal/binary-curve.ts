/**
 * scikit-learn's `_binary_clf_curve`: true and false positive counts at each
 * distinct score, taken as a threshold in decreasing order (tied scores
 * enter together).
 * @internal
 */
export interface BinaryCurve {
  /** Cumulative false positives at each threshold. */
  fps: Float64Array;
  /** Cumulative true positives at each threshold. */
  tps: Float64Array;
  /** The distinct scores, decreasing. */
  thresholds: Float64Array;
}

/** Indices of `scores` sorted by decreasing score (ties by index). @internal */
export function argsortDescending(scores: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx;
}

/** @internal */
export function binaryClfCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  const order = argsortDescending(scores);
  const fps: number[] = [];
  const tps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    if (labels[k]) tp++;
    const last = i === n - 1 || scores[order[i + 1]!] !== scores[k];
    if (last) {
      tps.push(tp);
      fps.push(i + 1 - tp);
      thr.push(scores[k]!);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thr) };
}

/** scikit-learn 1.2 `precision_recall_curve` (recall decreasing, a final `(P=1, R=0)`). @internal */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): {
  precision: number[];
  recall: number[];
  thresholds: number[];
} {
  const { fps, tps, thresholds } = binaryClfCurve(scores, labels);
  const m = tps.length;
  const total = m ? tps[m - 1]! : 0;
  const precision: number[] = [];
  const recall: number[] = [];
  const thr: number[] = [];
  for (let i = m - 1; i >= 0; i--) {
    const ps = tps[i]! + fps[i]!;
    precision.push(ps !== 0 ? tps[i]! / ps : 0);
    recall.push(total === 0 ? 1 : tps[i]! / total);
    thr.push(thresholds[i]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: thr };
}

/** scikit-learn's step-function AP: `-Σ diff(recall) · precision[:-1]`. @internal */
export function apFromCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { precision, recall } = prCurve(scores, labels);
  let s = 0;
  for (let i = 0; i + 1 < recall.length; i++) s -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return s;
}
