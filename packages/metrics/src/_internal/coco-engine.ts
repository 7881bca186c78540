/**
 * pycocotools `COCOeval.evaluate()` for boxes, on typed arrays.
 *
 * Same semantics as `computeIoU` + `evaluateImg`, organised for speed: the
 * ground truth and detections are sorted once into (image, category)
 * buckets, only non-empty buckets are visited, and each detection's outcome
 * at every (area range, IoU threshold) is written as one byte code.
 */
import type { CocoEvalParams } from '../detection/coco-types.js';
import { cocoIoU } from './coco-iou.js';

/** Ground-truth objects as columns. @internal */
export interface GtTable {
  n: number;
  /** `[n, 4]` xywh. */
  boxes: Float64Array;
  image: Float64Array;
  category: Float64Array;
  crowd: Uint8Array;
  area: Float64Array;
  id: Float64Array;
}

/** Detections as columns (ids are `1..n` as `loadRes` assigns them). @internal */
export interface DtTable {
  n: number;
  /** `[n, 4]` xywh. */
  boxes: Float64Array;
  image: Float64Array;
  category: Float64Array;
  score: Float64Array;
}

/** Outcome codes per (detection, area, IoU threshold). @internal */
export const IGNORED = 0;
/** True positive. @internal */
export const TP = 1;
/** False positive. @internal */
export const FP = 2;

/** What `evaluate` leaves for `accumulate`. @internal */
export interface Evaluation {
  params: CocoEvalParams;
  /** Number of category slots (`catIds.length`, or 1 without categories). */
  K: number;
  /** Kept detections (≤ maxDets[-1] per bucket), in bucket order (image, then category, then score). */
  nKept: number;
  keptCat: Int32Array;
  keptRank: Int32Array;
  keptScore: Float64Array;
  /** `[nKept, A, T]` outcome codes. */
  codes: Uint8Array;
  /** `[K, A]` number of non-ignored gts. */
  npig: Float64Array;
  /** `[K]` whether the category had any bucket (pycocotools' non-empty `E`). */
  seen: Uint8Array;
}

interface Sorted {
  order: Uint32Array;
  bucket: Float64Array;
  slot: Int32Array;
}

/** Indices of the rows whose image and category are evaluated, with their bucket keys. */
function index(
  n: number,
  image: Float64Array,
  category: Float64Array,
  imgIndex: Map<number, number>,
  catIndex: Map<number, number>,
  useCats: boolean,
): { rows: number[]; bucket: Float64Array; slot: Int32Array; sortKey: Float64Array } {
  const Kc = catIndex.size;
  const rows: number[] = [];
  const bucket = new Float64Array(n);
  const slot = new Int32Array(n);
  const sortKey = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ii = imgIndex.get(image[i]!);
    const ki = catIndex.get(category[i]!);
    if (ii === undefined || ki === undefined) continue;
    rows.push(i);
    sortKey[i] = ii * Kc + ki;
    bucket[i] = useCats ? ii * Kc + ki : ii;
    slot[i] = useCats ? ki : 0;
  }
  return { rows, bucket, slot, sortKey };
}

/** Gts sorted by (image, category, file order): pycocotools' `_gts` lists. */
function sortGts(gt: GtTable, imgIndex: Map<number, number>, catIndex: Map<number, number>, useCats: boolean): Sorted {
  const { rows, bucket, slot, sortKey } = index(gt.n, gt.image, gt.category, imgIndex, catIndex, useCats);
  const order = Uint32Array.from(rows);
  order.sort((a, b) => sortKey[a]! - sortKey[b]! || a - b);
  return { order, bucket, slot };
}

/** Detections sorted by (bucket, score descending, category, file order): the mergesort of `evaluateImg`. */
function sortDts(dt: DtTable, imgIndex: Map<number, number>, catIndex: Map<number, number>, useCats: boolean): Sorted {
  const { rows, bucket, slot, sortKey } = index(dt.n, dt.image, dt.category, imgIndex, catIndex, useCats);
  const order = Uint32Array.from(rows);
  const s = dt.score;
  order.sort((a, b) => bucket[a]! - bucket[b]! || s[b]! - s[a]! || sortKey[a]! - sortKey[b]! || a - b);
  return { order, bucket, slot };
}

/** Scratch buffers reused across buckets (no per-detection allocation). */
class Scratch {
  ious = new Float64Array(64);
  gOrd = new Int32Array(16);
  gIg = new Uint8Array(16);
  gtm = new Uint8Array(16);
  rowMax = new Float64Array(16);

  fit(D: number, G: number): void {
    if (this.ious.length < D * G) this.ious = new Float64Array(Math.max(D * G, this.ious.length * 2));
    if (this.gOrd.length < G) {
      const n = Math.max(G, this.gOrd.length * 2);
      this.gOrd = new Int32Array(n);
      this.gIg = new Uint8Array(n);
      this.gtm = new Uint8Array(n);
    }
    if (this.rowMax.length < D) this.rowMax = new Float64Array(Math.max(D, this.rowMax.length * 2));
  }
}

/** One (image, category) bucket: its gt rows (file order) and kept detection rows (score order). */
interface Bucket {
  gs: Uint32Array;
  ds: Uint32Array;
  /** Category slot. */
  slot: number;
  /** Position of its first detection among the kept ones. */
  base: number;
}

/**
 * Orders the bucket's gts non-ignored first (a stable argsort of `_ignore`)
 * into `sc.gOrd`/`sc.gIg` for area range `[lo, hi]`; returns the number not ignored.
 */
function orderGts(gt: GtTable, gs: Uint32Array, lo: number, hi: number, sc: Scratch): number {
  const G = gs.length;
  const ignored = (g: number): boolean => gt.crowd[g] === 1 || gt.area[g]! < lo || gt.area[g]! > hi;
  let k = 0;
  for (let j = 0; j < G; j++) if (!ignored(gs[j]!)) sc.gOrd[k++] = j;
  const nonIgnored = k;
  for (let j = 0; j < G; j++) if (ignored(gs[j]!)) sc.gOrd[k++] = j;
  for (let j = 0; j < G; j++) sc.gIg[j] = j < nonIgnored ? 0 : 1;
  return nonIgnored;
}

/**
 * pycocotools' greedy matching at one IoU threshold (the `evaluateImg`
 * inner loops) and each detection's outcome code, written at
 * `codes[(base + d) * A·T + a·T + t]`.
 */
function matchAt(gt: GtTable, dt: DtTable, bk: Bucket, thr: number, lo: number, hi: number, sc: Scratch, codes: Uint8Array, at: number, stride: number): void {
  const { gs, ds } = bk;
  const G = gs.length;
  const { ious, gOrd, gIg, gtm, rowMax } = sc;
  gtm.fill(0, 0, G);
  for (let d = 0; d < ds.length; d++) {
    let iou = thr;
    let m = -1;
    const row = d * G;
    // no gt reaches the threshold: unmatched without scanning
    const G2 = rowMax[d]! < thr ? 0 : G;
    for (let jj = 0; jj < G2; jj++) {
      const j = gOrd[jj]!;
      // a gt already matched is skipped unless it is a crowd
      if (gtm[jj] && !gt.crowd[gs[j]!]) continue;
      // holding a regular gt, stop at the ignored ones
      if (m > -1 && gIg[m] === 0 && gIg[jj] === 1) break;
      const v = ious[row + j]!;
      if (v < iou) continue;
      iou = v;
      m = jj;
    }
    const det = ds[d]!;
    const area = dt.boxes[4 * det + 2]! * dt.boxes[4 * det + 3]!;
    const outside = area < lo || area > hi;
    let code: number;
    if (m === -1) {
      code = outside ? IGNORED : FP;
    } else {
      gtm[m] = 1;
      // pycocotools stores the gt id in dtMatches: an id of 0 reads as "unmatched"
      const matched = gt.id[gs[gOrd[m]!]!] !== 0;
      if (gIg[m]) code = IGNORED;
      else if (matched) code = TP;
      else code = outside ? IGNORED : FP;
    }
    codes[(bk.base + d) * stride + at] = code;
  }
}

/** One bucket: pycocotools `computeIoU` + `evaluateImg` for every area range and IoU threshold. */
function evaluateBucket(gt: GtTable, dt: DtTable, bk: Bucket, p: CocoEvalParams, sc: Scratch, ev: Evaluation): void {
  const G = bk.gs.length;
  const D = bk.ds.length;
  const T = p.iouThresholds.length;
  const A = p.areaRanges.length;
  sc.fit(D, G);
  const { ious, rowMax } = sc;
  if (D > 0 && G > 0) cocoIoU(dt.boxes, bk.ds, gt.boxes, bk.gs, gt.crowd, ious);
  for (let d = 0; d < D; d++) {
    let mx = 0;
    for (let j = 0; j < G; j++) if (ious[d * G + j]! > mx) mx = ious[d * G + j]!;
    rowMax[d] = mx;
  }
  for (let a = 0; a < A; a++) {
    const [lo, hi] = p.areaRanges[a]!.range;
    ev.npig[bk.slot * A + a]! += orderGts(gt, bk.gs, lo, hi, sc);
    for (let t = 0; t < T; t++) {
      matchAt(gt, dt, bk, Math.min(p.iouThresholds[t]!, 1 - 1e-10), lo, hi, sc, ev.codes, a * T + t, A * T);
    }
  }
}

/**
 * pycocotools `evaluate()`: per-(image, category) matching at every area
 * range and IoU threshold.
 * @internal
 */
export function evaluate(gt: GtTable, dt: DtTable, p: CocoEvalParams): Evaluation {
  const imgIndex = new Map(p.imgIds.map((id, i) => [id, i]));
  const catIndex = new Map(p.catIds.map((id, k) => [id, k]));
  const K = p.useCats ? p.catIds.length : 1;
  const A = p.areaRanges.length;
  const T = p.iouThresholds.length;
  const maxDet = p.maxDets[p.maxDets.length - 1]!;
  const gS = sortGts(gt, imgIndex, catIndex, p.useCats);
  const dS = sortDts(dt, imgIndex, catIndex, p.useCats);
  const cap = dS.order.length;
  const ev: Evaluation = {
    params: p,
    K,
    nKept: 0,
    keptCat: new Int32Array(cap),
    keptRank: new Int32Array(cap),
    keptScore: new Float64Array(cap),
    codes: new Uint8Array(cap * A * T),
    npig: new Float64Array(K * A),
    seen: new Uint8Array(K),
  };
  const sc = new Scratch();
  const go = gS.order;
  const dO = dS.order;
  let gi = 0;
  let di = 0;
  while (gi < go.length || di < dO.length) {
    const gb = gi < go.length ? gS.bucket[go[gi]!]! : Infinity;
    const db = di < dO.length ? dS.bucket[dO[di]!]! : Infinity;
    const b = Math.min(gb, db);
    let gEnd = gi;
    while (gEnd < go.length && gS.bucket[go[gEnd]!] === b) gEnd++;
    let dEnd = di;
    while (dEnd < dO.length && dS.bucket[dO[dEnd]!] === b) dEnd++;
    const slot = gEnd > gi ? gS.slot[go[gi]!]! : dS.slot[dO[di]!]!;
    const ds = dO.subarray(di, Math.min(dEnd, di + maxDet));
    const base = ev.nKept;
    for (let d = 0; d < ds.length; d++) {
      ev.keptCat[base + d] = slot;
      ev.keptRank[base + d] = d;
      ev.keptScore[base + d] = dt.score[ds[d]!]!;
    }
    ev.seen[slot] = 1;
    evaluateBucket(gt, dt, { gs: go.subarray(gi, gEnd), ds, slot, base }, p, sc, ev);
    ev.nKept += ds.length;
    gi = gEnd;
    di = dEnd;
  }
  return ev;
}
