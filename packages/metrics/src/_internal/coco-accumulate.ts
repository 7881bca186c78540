/** pycocotools `COCOeval.accumulate()` and `summarize()` on the typed-array evaluation. */
import type { CocoEvalParams } from '../detection/coco-types.js';
import { FP, TP, type Evaluation } from './coco-engine.js';

/** pycocotools' `eval` dictionary. @internal */
export interface Accumulation {
  counts: [number, number, number, number, number];
  precision: Float64Array;
  recall: Float64Array;
  scores: Float64Array;
}

/** First index with `rc[i] >= r` in the first `n` entries (`np.searchsorted(side='left')`). */
function searchLeft(rc: Float64Array, n: number, r: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rc[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Positions of kept detections grouped by category slot, each group in concatenation order. */
function groupByCategory(ev: Evaluation): { start: Int32Array; pos: Int32Array } {
  const start = new Int32Array(ev.K + 1);
  for (let i = 0; i < ev.nKept; i++) start[ev.keptCat[i]! + 1]!++;
  for (let k = 0; k < ev.K; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, ev.K);
  const pos = new Int32Array(ev.nKept);
  for (let i = 0; i < ev.nKept; i++) pos[fill[ev.keptCat[i]!]!++] = i;
  return { start, pos };
}

/**
 * pycocotools `accumulate()`: per category, area range and maxDets, the
 * detections of all images (each image's first `maxDet`), stable-sorted by
 * score, give cumulative precision/recall; precision is made monotone and
 * read at the recall thresholds.
 * @internal
 */
export function accumulate(ev: Evaluation): Accumulation {
  const p = ev.params;
  const T = p.iouThresholds.length;
  const R = p.recallThresholds.length;
  const K = ev.K;
  const A = p.areaRanges.length;
  const M = p.maxDets.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  const { start, pos } = groupByCategory(ev);
  const AT = A * T;
  let rc = new Float64Array(64);
  let pr = new Float64Array(64);
  let sel = new Int32Array(64);
  let local = new Uint8Array(64);
  let rcOf = new Float64Array(64);
  const rThr = p.recallThresholds;
  const rSorted = rThr.every((v, i) => i === 0 || v >= rThr[i - 1]!);
  for (let k = 0; k < K; k++) {
    if (!ev.seen[k]) continue;
    // this category's detections, stable-sorted by score (concatenation order breaks ties)
    const group = Array.from(pos.subarray(start[k]!, start[k + 1]!));
    group.sort((x, y) => ev.keptScore[y]! - ev.keptScore[x]! || x - y);
    const n = group.length;
    if (sel.length < n) {
      sel = new Int32Array(n);
      rc = new Float64Array(n);
      pr = new Float64Array(n);
    }
    // outcome codes in sorted order, one contiguous row per (area, threshold): [A·T, n]
    if (local.length < AT * n) local = new Uint8Array(AT * n);
    for (let j = 0; j < n; j++) {
      const row = group[j]! * AT;
      for (let at = 0; at < AT; at++) local[at * n + j] = ev.codes[row + at]!;
    }
    for (let m = 0; m < M; m++) {
      const maxDet = p.maxDets[m]!;
      let nd = 0;
      for (let j = 0; j < n; j++) if (ev.keptRank[group[j]!]! < maxDet) sel[nd++] = j;
      for (let a = 0; a < A; a++) {
        const npig = ev.npig[k * A + a]!;
        if (npig === 0) continue;
        // rc = tp / npig takes npig + 1 values: divide once per value, not per detection
        if (rcOf.length < npig + 1) rcOf = new Float64Array(npig + 1);
        for (let v = 0; v <= npig; v++) rcOf[v] = v / npig;
        for (let t = 0; t < T; t++) {
          const codes = local.subarray((a * T + t) * n, (a * T + t + 1) * n);
          let tp = 0;
          let fp = 0;
          for (let i = 0; i < nd; i++) {
            const code = codes[sel[i]!];
            if (code === TP) tp++;
            else if (code === FP) fp++;
            rc[i] = rcOf[tp]!;
            pr[i] = tp / (fp + tp + Number.EPSILON);
          }
          recall[((t * K + k) * A + a) * M + m] = nd ? rc[nd - 1]! : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
          let pi = 0;
          for (let r = 0; r < R; r++) {
            const thr = rThr[r]!;
            // np.searchsorted(rc, thr, side='left'): a pointer walk when the thresholds ascend
            if (rSorted) while (pi < nd && rc[pi]! < thr) pi++;
            else pi = searchLeft(rc, nd, thr);
            if (pi >= nd) {
              // pycocotools' `try/except: pass` — this and every later threshold stay 0
              for (let rr = r; rr < R; rr++) {
                const at2 = (((t * R + rr) * K + k) * A + a) * M + m;
                precision[at2] = 0;
                scores[at2] = 0;
              }
              break;
            }
            const at = (((t * R + r) * K + k) * A + a) * M + m;
            precision[at] = pr[pi]!;
            scores[at] = ev.keptScore[group[sel[pi]!]!]!;
          }
        }
      }
    }
  }
  return { counts: [T, R, K, A, M], precision, recall, scores };
}

/**
 * numpy's pairwise summation of a contiguous float64 array (`np.add.reduce`),
 * reproduced so a mean rounds exactly as pycocotools' `np.mean` does (the
 * printed 3-decimal summary depends on the last bit).
 * @internal
 */
export function npSum(a: ArrayLike<number>, lo = 0, n = a.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [a[lo]!, a[lo + 1]!, a[lo + 2]!, a[lo + 3]!, a[lo + 4]!, a[lo + 5]!, a[lo + 6]!, a[lo + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[lo + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[lo + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(a, lo, n2) + npSum(a, lo + n2, n - n2);
}

/** `np.mean(s[s > -1])` of the entries at `idx` (in numpy's C order), or -1 (pycocotools `_summarize`). */
function meanValid(values: Float64Array, idx: number[]): number {
  const kept: number[] = [];
  for (const i of idx) if (values[i]! > -1) kept.push(values[i]!);
  return kept.length ? npSum(kept) / kept.length : -1;
}

/**
 * One summary statistic (pycocotools `_summarize`).
 * @param catSlots restrict to these category slots (default all).
 * @internal
 */
export function summarizeOne(
  acc: Accumulation,
  p: CocoEvalParams,
  ap: boolean,
  iouThr: number | null,
  areaLbl: string,
  maxDets: number,
  catSlots?: number[],
): number {
  const [T, R, K, A, M] = acc.counts;
  const ts = [...Array(T).keys()].filter((t) => iouThr === null || p.iouThresholds[t] === iouThr);
  const as = [...Array(A).keys()].filter((a) => p.areaRanges[a]!.label === areaLbl);
  const ms = [...Array(M).keys()].filter((m) => p.maxDets[m] === maxDets);
  const ks = catSlots ?? [...Array(K).keys()];
  // numpy's order of s[:, :, :, aind, mind] (precision) or s[:, :, aind, mind] (recall)
  const idx: number[] = [];
  for (const t of ts) {
    for (const r of ap ? [...Array(R).keys()] : [0]) {
      for (const k of ks) {
        for (const a of as) {
          for (const m of ms) idx.push(ap ? (((t * R + r) * K + k) * A + a) * M + m : ((t * K + k) * A + a) * M + m);
        }
      }
    }
  }
  return meanValid(ap ? acc.precision : acc.recall, idx);
}

/** pycocotools `summarize()` → `stats` (12 values). @internal */
export function summarize(acc: Accumulation, p: CocoEvalParams): number[] {
  const md = p.maxDets;
  const s = (ap: boolean, iou: number | null, area: string, m: number): number => summarizeOne(acc, p, ap, iou, area, m);
  return [
    s(true, null, 'all', 100),
    s(true, 0.5, 'all', md[2]!),
    s(true, 0.75, 'all', md[2]!),
    s(true, null, 'small', md[2]!),
    s(true, null, 'medium', md[2]!),
    s(true, null, 'large', md[2]!),
    s(false, null, 'all', md[0]!),
    s(false, null, 'all', md[1]!),
    s(false, null, 'all', md[2]!),
    s(false, null, 'small', md[2]!),
    s(false, null, 'medium', md[2]!),
    s(false, null, 'large', md[2]!),
  ];
}
