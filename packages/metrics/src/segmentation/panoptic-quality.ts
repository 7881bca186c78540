import { checkNumber, describeValue, FoveaError } from '@fovea/core';
import { checkLabelRange, checkSameShape, readInput, type Flat, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** A panoptic prediction for one image. @category Segmentation */
export interface PanopticPrediction {
  /** `[H, W]` predicted segment index per pixel, `-1` = unlabeled. */
  segments: MetricInput;
  /** `[Sp]` category of each predicted segment `0..Sp-1`. */
  categories: MetricInput;
}

/** Panoptic ground truth for one image. @category Segmentation */
export interface PanopticTarget {
  /** `[H, W]` gt segment index per pixel, `-1` = VOID. */
  segments: MetricInput;
  /** `[Sg]` category of each gt segment. */
  categories: MetricInput;
  /** `[Sg]` crowd flags (default all false). */
  iscrowd?: MetricInput;
}

/** Options for {@link panopticQuality} and {@link PanopticQuality}. @category Segmentation */
export interface PanopticQualityOptions {
  /** Number of categories `C` (ids `0..C-1`). */
  numClasses: number;
  /** The "thing" category ids; every other category is "stuff". */
  things: number[];
}

/** PQ, SQ and RQ averaged over a set of categories. @category Segmentation */
export interface PanopticScores {
  /** Panoptic quality, `Σ IoU / (TP + FP/2 + FN/2)` averaged over categories. */
  pq: number;
  /** Segmentation quality, mean IoU of the matches. */
  sq: number;
  /** Recognition quality, `TP / (TP + FP/2 + FN/2)`. */
  rq: number;
  /** Number of categories averaged (those with TP + FP + FN > 0). */
  n: number;
}

/** Result of {@link panopticQuality}. @category Segmentation */
export interface PanopticResult extends PanopticScores {
  /** Averages over the thing categories (`NaN` if none counted). */
  things: PanopticScores;
  /** Averages over the stuff categories (`NaN` if none counted). */
  stuff: PanopticScores;
  /** `[C]` per-category values; `NaN` for a category with no TP, FP or FN. */
  perClass: { pq: number[]; sq: number[]; rq: number[] };
}

interface Resolved {
  c: number;
  isThing: Uint8Array;
}

function resolve(op: string, o: PanopticQualityOptions): Resolved {
  if (o === null || typeof o !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an object {numClasses, things}', got: describeValue(o) });
  const c = checkNumber(op, 'options.numClasses', o.numClasses, { integer: true, min: 1 });
  if (!Array.isArray(o.things)) throw new FoveaError({ op, arg: 'options.things', expected: 'an array of category ids', got: describeValue(o.things) });
  const isThing = new Uint8Array(c);
  o.things.forEach((t, i) => (isThing[checkNumber(op, `options.things[${i}]`, t, { integer: true, min: 0, max: c - 1 })] = 1));
  return { c, isThing };
}

/** Per-category accumulators (panopticapi's `PQStat`). */
interface Stat {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  iou: Float64Array;
}

function newStat(c: number): Stat {
  return { tp: new Float64Array(c), fp: new Float64Array(c), fn: new Float64Array(c), iou: new Float64Array(c) };
}

/** Pixel count of each segment `0..S-1`; every listed segment must have pixels (as panopticapi requires). */
function areas(op: string, arg: string, seg: Flat, s: number): Float64Array {
  const a = new Float64Array(s);
  for (let i = 0; i < seg.data.length; i++) {
    const v = seg.data[i]!;
    if (v !== -1) a[v]! += 1;
  }
  const empty = a.findIndex((x) => x === 0);
  if (empty >= 0) throw new FoveaError({ op, arg, expected: `pixels for every listed segment 0..${s - 1}`, got: `no pixel of segment ${empty}` });
  return a;
}

async function readImage(op: string, arg: string, pred: PanopticPrediction, target: PanopticTarget, c: number) {
  if (!pred || typeof pred !== 'object') throw new FoveaError({ op, arg: `preds${arg}`, expected: 'an object {segments, categories}', got: describeValue(pred) });
  if (!target || typeof target !== 'object') throw new FoveaError({ op, arg: `targets${arg}`, expected: 'an object {segments, categories, iscrowd?}', got: describeValue(target) });
  const ps = await readInput(op, `preds${arg}.segments`, pred.segments, { rank: 2, kind: 'int' });
  const pc = await readInput(op, `preds${arg}.categories`, pred.categories, { rank: 1, kind: 'int' });
  const gs = await readInput(op, `targets${arg}.segments`, target.segments, { rank: 2, kind: 'int' });
  const gc = await readInput(op, `targets${arg}.categories`, target.categories, { rank: 1, kind: 'int' });
  const crowd = target.iscrowd === undefined ? null : await readInput(op, `targets${arg}.iscrowd`, target.iscrowd, { rank: 1, kind: 'bool' });
  checkSameShape(op, `preds${arg}.segments`, ps, `targets${arg}.segments`, gs);
  checkLabelRange(op, `preds${arg}.categories`, pc, c);
  checkLabelRange(op, `targets${arg}.categories`, gc, c);
  checkLabelRange(op, `preds${arg}.segments`, ps, pc.data.length, -1);
  checkLabelRange(op, `targets${arg}.segments`, gs, gc.data.length, -1);
  if (crowd && crowd.data.length !== gc.data.length) {
    throw new FoveaError({ op, arg: `targets${arg}.iscrowd`, expected: `shape [${gc.data.length}] (one per gt segment)`, got: `shape [${crowd.data.length}]` });
  }
  const pArea = areas(op, `preds${arg}.segments`, ps, pc.data.length);
  const gArea = areas(op, `targets${arg}.segments`, gs, gc.data.length);
  return { ps: ps.data, pc: pc.data, gs: gs.data, gc: gc.data, crowd: crowd?.data ?? null, pArea, gArea };
}

type Image = Awaited<ReturnType<typeof readImage>>;

/** panopticapi `pq_compute_single_core` for one image. */
function addImage(st: Stat, im: Image): void {
  const Sp = im.pc.length;
  const Sg = im.gc.length;
  // I(g, p) with -1 (VOID / unlabeled) stored at index 0
  const inter = new Map<number, number>();
  const W = Sp + 1;
  for (let i = 0; i < im.gs.length; i++) {
    const key = (im.gs[i]! + 1) * W + (im.ps[i]! + 1);
    inter.set(key, (inter.get(key) ?? 0) + 1);
  }
  const voidOf = (p: number): number => inter.get(p + 1) ?? 0;
  const gMatched = new Uint8Array(Sg);
  const pMatched = new Uint8Array(Sp);
  for (const [key, it] of inter) {
    const g = Math.floor(key / W) - 1;
    const p = (key % W) - 1;
    if (g < 0 || p < 0) continue;
    if (im.crowd && im.crowd[g]) continue;
    if (im.gc[g] !== im.pc[p]) continue;
    const iou = it / (im.pArea[p]! + im.gArea[g]! - it - voidOf(p));
    if (iou > 0.5) {
      const c = im.gc[g]!;
      st.tp[c]! += 1;
      st.iou[c]! += iou;
      gMatched[g] = 1;
      pMatched[p] = 1;
    }
  }
  // crowd segment per category (the last one wins, as panopticapi's dict)
  const crowdOf = new Map<number, number>();
  for (let g = 0; g < Sg; g++) {
    if (gMatched[g]) continue;
    if (im.crowd && im.crowd[g]) {
      crowdOf.set(im.gc[g]!, g);
      continue;
    }
    st.fn[im.gc[g]!]! += 1;
  }
  for (let p = 0; p < Sp; p++) {
    if (pMatched[p]) continue;
    let it = voidOf(p);
    const cg = crowdOf.get(im.pc[p]!);
    if (cg !== undefined) it += inter.get((cg + 1) * W + (p + 1)) ?? 0;
    if (it / im.pArea[p]! > 0.5) continue;
    st.fp[im.pc[p]!]! += 1;
  }
}

/** panopticapi `PQStat.pq_average` (NaN instead of a division by zero). */
function average(st: Stat, r: Resolved): PanopticResult {
  const c = r.c;
  const pq: number[] = [];
  const sq: number[] = [];
  const rq: number[] = [];
  for (let k = 0; k < c; k++) {
    const { tp, fp, fn, iou } = { tp: st.tp[k]!, fp: st.fp[k]!, fn: st.fn[k]!, iou: st.iou[k]! };
    if (tp + fp + fn === 0) {
      pq.push(NaN);
      sq.push(NaN);
      rq.push(NaN);
      continue;
    }
    const den = tp + 0.5 * fp + 0.5 * fn;
    pq.push(iou / den);
    sq.push(tp !== 0 ? iou / tp : 0);
    rq.push(tp / den);
  }
  const avg = (sel: (k: number) => boolean): PanopticScores => {
    let n = 0;
    const s = [0, 0, 0];
    for (let k = 0; k < c; k++) {
      if (!sel(k) || Number.isNaN(pq[k])) continue;
      n++;
      s[0]! += pq[k]!;
      s[1]! += sq[k]!;
      s[2]! += rq[k]!;
    }
    return { pq: s[0]! / n, sq: s[1]! / n, rq: s[2]! / n, n };
  };
  return { ...avg(() => true), things: avg((k) => r.isThing[k] === 1), stuff: avg((k) => r.isThing[k] === 0), perClass: { pq, sq, rq } };
}

function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

async function readAll(op: string, preds: PanopticPrediction | PanopticPrediction[], targets: PanopticTarget | PanopticTarget[], c: number): Promise<Image[]> {
  const ps = asList(preds);
  const ts = asList(targets);
  if (ps.length !== ts.length) throw new FoveaError({ op, arg: 'targets', expected: `${ps.length} images (as many as preds)`, got: `${ts.length}` });
  const list = Array.isArray(preds);
  const out: Image[] = [];
  for (let i = 0; i < ps.length; i++) out.push(await readImage(op, list ? `[${i}]` : '', ps[i]!, ts[i]!, c));
  return out;
}

/**
 * Panoptic quality (Kirillov et al., CVPR 2019) as cocodataset/panopticapi
 * computes it: per category, a predicted and a gt segment of that category
 * match when `IoU > 0.5`, where the union leaves out the prediction's pixels
 * on gt VOID; crowd gts are never matched or missed, and an unmatched
 * prediction lying mostly (> 50 %) on VOID or on its category's crowd region
 * is not a false positive. `PQ = Σ IoU / (TP + FP/2 + FN/2) = SQ · RQ` per
 * category, averaged over categories with any TP, FP or FN, and over things
 * and stuff separately. Several images accumulate counts (as panopticapi
 * does over a dataset).
 *
 * @param preds one {@link PanopticPrediction} or one per image.
 * @param targets one {@link PanopticTarget} or one per image.
 * @param opts see {@link PanopticQualityOptions}.
 * @returns see {@link PanopticResult}.
 * @example
 * ```ts
 * import { panopticQuality } from '@fovea/metrics';
 * const r = await panopticQuality(
 *   { segments: [[0, 0, 1], [0, 0, 1]], categories: [0, 1] },
 *   { segments: [[0, 0, 1], [0, 1, 1]], categories: [0, 1] },
 *   { numClasses: 2, things: [1] },
 * );
 * r.pq; // (0.75 + 0.6667) / 2 = 0.7083…
 * ```
 * @category Segmentation
 */
export async function panopticQuality(
  preds: PanopticPrediction | PanopticPrediction[],
  targets: PanopticTarget | PanopticTarget[],
  opts: PanopticQualityOptions,
): Promise<PanopticResult> {
  const op = 'panopticQuality';
  const r = resolve(op, opts);
  const st = newStat(r.c);
  for (const im of await readAll(op, preds, targets, r.c)) addImage(st, im);
  return average(st, r);
}

/**
 * Streaming {@link panopticQuality}: accumulates per-category TP/FP/FN and
 * IoU sums over images.
 *
 * @example
 * ```ts
 * import { PanopticQuality } from '@fovea/metrics';
 * const pq = new PanopticQuality({ numClasses: 2, things: [1] });
 * await pq.update({ segments: [[0, 1]], categories: [0, 1] }, { segments: [[0, 1]], categories: [0, 1] });
 * pq.compute().pq; // 1
 * ```
 * @category Segmentation
 */
export class PanopticQuality implements Metric<[PanopticPrediction | PanopticPrediction[], PanopticTarget | PanopticTarget[]], PanopticResult> {
  private readonly opts: Resolved;
  private st: Stat;

  constructor(opts: PanopticQualityOptions) {
    this.opts = resolve('PanopticQuality', opts);
    this.st = newStat(this.opts.c);
  }

  /**
   * Adds one image or a list of images (validated first; a bad batch adds nothing).
   * @param preds predictions.
   * @param targets ground truth, in the same order.
   */
  async update(preds: PanopticPrediction | PanopticPrediction[], targets: PanopticTarget | PanopticTarget[]): Promise<void> {
    const images = await readAll('PanopticQuality.update', preds, targets, this.opts.c);
    for (const im of images) addImage(this.st, im);
  }

  /** PQ/SQ/RQ over every image seen. */
  compute(): PanopticResult {
    return average(this.st, this.opts);
  }

  /** Zeroes the counts. */
  reset(): void {
    this.st = newStat(this.opts.c);
  }
}
