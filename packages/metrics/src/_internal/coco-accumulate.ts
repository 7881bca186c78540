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

/** Reusable buffers of one accumulation (no per-category allocation once grown). */
class Buffers {
  rc = new Float64Array(64);
  pr = new Float64Array(64);
  sel = new Int32Array(64);
  local = new Uint8Array(64);
  rcOf = new Float64Array(64);
  /** Whether the recall thresholds ascend (then a pointer walk replaces binary searches). */
  constructor(readonly sortedThresholds: boolean) {}

  fit(n: number, cells: number, npigMax: number): void {
    if (this.sel.length < n) {
      this.sel = new Int32Array(n);
      this.rc = new Float64Array(n);
      this.pr = new Float64Array(n);
    }
    if (this.local.length < cells) this.local = new Uint8Array(cells);
    if (this.rcOf.length < npigMax + 1) this.rcOf = new Float64Array(npigMax + 1);
  }
}

/** Where one (category, area, maxDets) curve is written in the `[T, R, K, A, M]` / `[T, K, A, M]` arrays. */
interface Slot {
  k: number;
  a: number;
  m: number;
}

/**
 * One precision/recall curve (pycocotools' inner loop for one IoU threshold):
 * cumulative tp/fp over the `nd` selected detections, recall, the monotone
 * precision envelope, read at each recall threshold.
 */
function curve(out: Accumulation, p: CocoEvalParams, b: Buffers, codes: Uint8Array, nd: number, t: number, s: Slot, score: (i: number) => number): void {
  const [, R, K, A, M] = out.counts;
  const { rc, pr, sel, rcOf } = b;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < nd; i++) {
    const code = codes[sel[i]!];
    if (code === TP) tp++;
    else if (code === FP) fp++;
    rc[i] = rcOf[tp]!; // = tp / npig
    pr[i] = tp / (fp + tp + Number.EPSILON);
  }
  out.recall[((t * K + s.k) * A + s.a) * M + s.m] = nd ? rc[nd - 1]! : 0;
  for (let i = nd - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
  const rThr = p.recallThresholds;
  const sorted = b.sortedThresholds;
  let pi = 0;
  for (let r = 0; r < R; r++) {
    const at = (((t * R + r) * K + s.k) * A + s.a) * M + s.m;
    // np.searchsorted(rc, thr, side='left'): a pointer walk when the thresholds ascend
    if (sorted) while (pi < nd && rc[pi]! < rThr[r]!) pi++;
    else pi = searchLeft(rc, nd, rThr[r]!);
    if (pi >= nd) {
      // pycocotools' `try/except: pass`: this and every later threshold stay 0
      for (let rr = r; rr < R; rr++) {
        const at2 = (((t * R + rr) * K + s.k) * A + s.a) * M + s.m;
        out.precision[at2] = 0;
        out.scores[at2] = 0;
      }
      return;
    }
    out.precision[at] = pr[pi]!;
    out.scores[at] = score(sel[pi]!);
  }
}

/** All curves of one category: its detections stable-sorted by score once, then per maxDets, area and threshold. */
function accumulateCategory(ev: Evaluation, out: Accumulation, b: Buffers, k: number, members: Int32Array): void {
  const p = ev.params;
  const T = p.iouThresholds.length;
  const A = p.areaRanges.length;
  const AT = A * T;
  // concatenation order (image, then rank) breaks score ties, as numpy's mergesort does
  const group = Array.from(members);
  group.sort((x, y) => ev.keptScore[y]! - ev.keptScore[x]! || x - y);
  const n = group.length;
  let npigMax = 0;
  for (let a = 0; a < A; a++) npigMax = Math.max(npigMax, ev.npig[k * A + a]!);
  b.fit(n, AT * n, npigMax);
  // outcome codes in sorted order, one contiguous row per (area, threshold): [A·T, n]
  const local = b.local;
  for (let j = 0; j < n; j++) {
    const row = group[j]! * AT;
    for (let at = 0; at < AT; at++) local[at * n + j] = ev.codes[row + at]!;
  }
  const score = (j: number): number => ev.keptScore[group[j]!]!;
  for (let m = 0; m < p.maxDets.length; m++) {
    let nd = 0;
    for (let j = 0; j < n; j++) if (ev.keptRank[group[j]!]! < p.maxDets[m]!) b.sel[nd++] = j;
    for (let a = 0; a < A; a++) {
      const npig = ev.npig[k * A + a]!;
      if (npig === 0) continue; // no gt: stays -1
      for (let v = 0; v <= npig; v++) b.rcOf[v] = v / npig;
      for (let t = 0; t < T; t++) curve(out, p, b, local.subarray((a * T + t) * n, (a * T + t + 1) * n), nd, t, { k, a, m }, score);
    }
  }
}

/**
 * pycocotools `accumulate()`: per category, area range and maxDets, the
 * detections of all images (each image's first `maxDet`), stable-sorted by
 * score, give cumulative precision/recall; precision is made monotone and
 * read at the recall thresholds. Settings without gt stay -1.
 * @internal
 */
export function accumulate(ev: Evaluation): Accumulation {
  const p = ev.params;
  const T = p.iouThresholds.length;
  const R = p.recallThresholds.length;
  const K = ev.K;
  const A = p.areaRanges.length;
  const M = p.maxDets.length;
  const out: Accumulation = {
    counts: [T, R, K, A, M],
    precision: new Float64Array(T * R * K * A * M).fill(-1),
    recall: new Float64Array(T * K * A * M).fill(-1),
    scores: new Float64Array(T * R * K * A * M).fill(-1),
  };
  const { start, pos } = groupByCategory(ev);
  const b = new Buffers(p.recallThresholds.every((v, i) => i === 0 || v >= p.recallThresholds[i - 1]!));
  for (let k = 0; k < K; k++) if (ev.seen[k]) accumulateCategory(ev, out, b, k, pos.subarray(start[k]!, start[k + 1]!));
  return out;
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
