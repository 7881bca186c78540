import { checkNumber, checkOneOf } from '@fovea/core';
import { checkImageLists, readPrediction, readTarget } from '../_internal/detections.js';
import { F64Buffer } from '../_internal/input.js';
import type { Metric } from '../metric.js';
import type { BoxFormat, DetectionPrediction, DetectionTarget } from './types.js';
import { vocApFromCurve } from './voc-ap.js';

/** Options for {@link vocMeanAveragePrecision} and {@link VocMeanAveragePrecision}. @category Detection */
export interface VocMapOptions {
  /** A detection is a true positive when its IoU with a gt is **>** this. Default 0.5. */
  iouThreshold?: number;
  /** VOC2007 11-point AP instead of the VOC2010+ area. Default false. */
  use07Metric?: boolean;
  /**
   * Pixel-inclusive boxes: widths are `x2 − x1 + 1` as in the VOC devkit and
   * py-faster-rcnn / Detectron's `voc_eval`. Default true; false for
   * continuous coordinates.
   */
  pixelInclusive?: boolean;
  /** Format of the boxes passed in. Default `xyxy`. */
  boxFormat?: BoxFormat;
}

/** Per-class result of VOC evaluation. @category Detection */
export interface VocClassResult {
  /** The category id. */
  label: number;
  /** AP of the class; `NaN` when it has no non-difficult ground truth. */
  ap: number;
  /** Number of non-difficult ground-truth boxes. */
  numPositives: number;
  /** Number of detections of the class. */
  numDetections: number;
}

/** Result of VOC evaluation. @category Detection */
export interface VocMapResult {
  /** Mean AP over the classes with ground truth (`NaN` if none). */
  map: number;
  /** One entry per category id seen in the ground truth or the detections, ascending. */
  perClass: VocClassResult[];
}

interface State {
  gtImg: F64Buffer;
  gtLabel: F64Buffer;
  gtBox: F64Buffer;
  gtDifficult: F64Buffer;
  dtImg: F64Buffer;
  dtLabel: F64Buffer;
  dtBox: F64Buffer;
  dtScore: F64Buffer;
  images: number;
}

function emptyState(): State {
  const b = (): F64Buffer => new F64Buffer();
  return { gtImg: b(), gtLabel: b(), gtBox: b(), gtDifficult: b(), dtImg: b(), dtLabel: b(), dtBox: b(), dtScore: b(), images: 0 };
}

interface Resolved {
  thr: number;
  use07: boolean;
  plus: number;
  format: BoxFormat;
}

function resolve(op: string, o: VocMapOptions): Resolved {
  return {
    thr: checkNumber(op, 'options.iouThreshold', o.iouThreshold ?? 0.5, { min: 0, max: 1 }),
    use07: o.use07Metric ?? false,
    plus: (o.pixelInclusive ?? true) ? 1 : 0,
    format: checkOneOf(op, 'options.boxFormat', o.boxFormat ?? 'xyxy', ['xyxy', 'xywh', 'cxcywh'] as const),
  };
}

async function addImages(op: string, s: State, r: Resolved, preds: DetectionPrediction[], targets: DetectionTarget[]): Promise<void> {
  const n = checkImageLists(op, preds, targets);
  const read = [];
  for (let i = 0; i < n; i++) {
    read.push([await readPrediction(op, `preds[${i}]`, preds[i]!, r.format, 'xyxy'), await readTarget(op, `targets[${i}]`, targets[i]!, r.format, 'xyxy')] as const);
  }
  for (const [p, t] of read) {
    const img = s.images++;
    for (let k = 0; k < t.labels.length; k++) {
      s.gtImg.push(img);
      s.gtLabel.push(t.labels[k]!);
      s.gtDifficult.push(t.difficult ? t.difficult[k]! : 0);
    }
    s.gtBox.append(t.boxes);
    for (let k = 0; k < p.labels.length; k++) {
      s.dtImg.push(img);
      s.dtLabel.push(p.labels[k]!);
      s.dtScore.push(p.scores[k]!);
    }
    s.dtBox.append(p.boxes);
  }
}

/** py-faster-rcnn `voc_eval` for one class. */
function evalClass(s: State, r: Resolved, label: number): VocClassResult {
  const gImg = s.gtImg.view();
  const gLab = s.gtLabel.view();
  const gBox = s.gtBox.view();
  const gDiff = s.gtDifficult.view();
  const byImage = new Map<number, number[]>();
  let npos = 0;
  for (let g = 0; g < gLab.length; g++) {
    if (gLab[g] !== label) continue;
    const list = byImage.get(gImg[g]!) ?? [];
    list.push(g);
    byImage.set(gImg[g]!, list);
    if (!gDiff[g]) npos++;
  }
  const dLab = s.dtLabel.view();
  const dScore = s.dtScore.view();
  const dets: number[] = [];
  for (let d = 0; d < dLab.length; d++) if (dLab[d] === label) dets.push(d);
  dets.sort((a, b) => dScore[b]! - dScore[a]! || a - b);
  const used = new Set<number>();
  const rec = new Float64Array(dets.length);
  const prec = new Float64Array(dets.length);
  let tp = 0;
  let fp = 0;
  const dBox = s.dtBox.view();
  const dImg = s.dtImg.view();
  const p = r.plus;
  dets.forEach((d, i) => {
    const [x1, y1, x2, y2] = [dBox[4 * d]!, dBox[4 * d + 1]!, dBox[4 * d + 2]!, dBox[4 * d + 3]!];
    let ovmax = -Infinity;
    let jmax = -1;
    for (const g of byImage.get(dImg[d]!) ?? []) {
      const iw = Math.max(Math.min(gBox[4 * g + 2]!, x2) - Math.max(gBox[4 * g]!, x1) + p, 0);
      const ih = Math.max(Math.min(gBox[4 * g + 3]!, y2) - Math.max(gBox[4 * g + 1]!, y1) + p, 0);
      const inter = iw * ih;
      const uni = (x2 - x1 + p) * (y2 - y1 + p) + (gBox[4 * g + 2]! - gBox[4 * g]! + p) * (gBox[4 * g + 3]! - gBox[4 * g + 1]! + p) - inter;
      const o = inter / uni;
      if (o > ovmax) {
        ovmax = o;
        jmax = g;
      }
    }
    if (ovmax > r.thr) {
      if (!gDiff[jmax]) {
        if (!used.has(jmax)) {
          tp++;
          used.add(jmax);
        } else fp++;
      }
    } else fp++;
    rec[i] = tp / npos;
    prec[i] = tp / Math.max(tp + fp, Number.EPSILON);
  });
  const ap = npos === 0 ? NaN : vocApFromCurve(rec, prec, r.use07);
  return { label, ap, numPositives: npos, numDetections: dets.length };
}

function computeVoc(s: State, r: Resolved): VocMapResult {
  const labels = new Set<number>([...s.gtLabel.view(), ...s.dtLabel.view()]);
  const perClass = [...labels].sort((a, b) => a - b).map((l) => evalClass(s, r, l));
  const valid = perClass.filter((c) => !Number.isNaN(c.ap));
  const map = valid.length ? valid.reduce((a, c) => a + c.ap, 0) / valid.length : NaN;
  return { map, perClass };
}

/**
 * PASCAL VOC detection mAP (py-faster-rcnn / Detectron `voc_eval`): per
 * class, detections ranked by score are greedily matched to the unmatched
 * gt of highest IoU in their image (IoU **>** `iouThreshold`); a match to a
 * "difficult" gt counts as neither true nor false positive, and difficult
 * gts are not counted in recall. AP by {@link vocAp}; mAP = mean over the
 * classes with non-difficult ground truth.
 *
 * @param preds one {@link DetectionPrediction} per image.
 * @param targets one {@link DetectionTarget} per image (same order), with optional `difficult`.
 * @param opts see {@link VocMapOptions}.
 * @returns see {@link VocMapResult}.
 * @example
 * ```ts
 * import { vocMeanAveragePrecision } from '@fovea/metrics';
 * const r = await vocMeanAveragePrecision(
 *   [{ boxes: [[10, 10, 50, 50], [60, 60, 90, 90]], scores: [0.9, 0.3], labels: [1, 1] }],
 *   [{ boxes: [[12, 10, 50, 52]], labels: [1] }],
 * );
 * r.map; // 1 (the only gt is found first)
 * ```
 * @category Detection
 */
export async function vocMeanAveragePrecision(
  preds: DetectionPrediction[],
  targets: DetectionTarget[],
  opts: VocMapOptions = {},
): Promise<VocMapResult> {
  const op = 'vocMeanAveragePrecision';
  const r = resolve(op, opts);
  const s = emptyState();
  await addImages(op, s, r, preds, targets);
  return computeVoc(s, r);
}

/**
 * Streaming {@link vocMeanAveragePrecision}: `update(preds, targets)` with
 * one entry per image, `compute()` evaluates everything seen.
 *
 * @example
 * ```ts
 * import { VocMeanAveragePrecision } from '@fovea/metrics';
 * const voc = new VocMeanAveragePrecision({ use07Metric: true });
 * await voc.update([{ boxes: [[0, 0, 9, 9]], scores: [0.8], labels: [2] }], [{ boxes: [[0, 0, 9, 9]], labels: [2] }]);
 * voc.compute().map; // ≈ 1
 * ```
 * @category Detection
 */
export class VocMeanAveragePrecision implements Metric<[DetectionPrediction[], DetectionTarget[]], VocMapResult> {
  private readonly opts: Resolved;
  private state = emptyState();

  constructor(opts: VocMapOptions = {}) {
    this.opts = resolve('VocMeanAveragePrecision', opts);
  }

  /**
   * Adds a batch of images.
   * @param preds one {@link DetectionPrediction} per image.
   * @param targets one {@link DetectionTarget} per image.
   */
  async update(preds: DetectionPrediction[], targets: DetectionTarget[]): Promise<void> {
    // read the whole batch first so a bad image leaves the state untouched
    const staged = emptyState();
    await addImages('VocMeanAveragePrecision.update', staged, this.opts, preds, targets);
    const s = this.state;
    const off = s.images;
    s.gtImg.append(staged.gtImg.view().map((i) => i + off));
    s.dtImg.append(staged.dtImg.view().map((i) => i + off));
    for (const k of ['gtLabel', 'gtBox', 'gtDifficult', 'dtLabel', 'dtBox', 'dtScore'] as const) s[k].append(staged[k].view());
    s.images += staged.images;
  }

  /** VOC mAP over every image seen. */
  compute(): VocMapResult {
    return computeVoc(this.state, this.opts);
  }

  /** Forgets every image. */
  reset(): void {
    this.state = emptyState();
  }
}
