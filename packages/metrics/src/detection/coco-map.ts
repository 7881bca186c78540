import { checkOneOf, FoveaError, formatShape } from '@fovea/core';
import { DtBuilder } from '../_internal/coco-data.js';
import type { GtTable } from '../_internal/coco-engine.js';
import { resolveParams, uniqueSorted } from '../_internal/coco-params.js';
import { runCocoEval } from '../_internal/coco-run.js';
import { checkImageLists, convertBoxes, readPrediction, readTarget } from '../_internal/detections.js';
import { F64Buffer, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';
import type { CocoEvalOptions, CocoEvalResult } from './coco-types.js';
import type { BoxFormat, DetectionPrediction, DetectionTarget } from './types.js';

/** Ground truth as flat arrays for {@link cocoMeanAveragePrecision}. @category COCO */
export interface CocoGroundTruthArrays {
  /** `[G, 4]` boxes in `boxFormat` (default `xywh`, COCO's). */
  boxes: MetricInput;
  /** `[G]` image id of each object. */
  imageIds: MetricInput;
  /** `[G]` category id of each object. */
  categoryIds: MetricInput;
  /** `[G]` crowd flags (default all false). */
  iscrowd?: MetricInput;
  /** `[G]` COCO `area` field (default the box area). */
  area?: MetricInput;
}

/** Detections as flat arrays for {@link cocoMeanAveragePrecision}. @category COCO */
export interface CocoDetectionArrays {
  /** `[D, 4]` boxes in `boxFormat` (default `xywh`). */
  boxes: MetricInput;
  /** `[D]` image id of each detection. */
  imageIds: MetricInput;
  /** `[D]` category id of each detection. */
  categoryIds: MetricInput;
  /** `[D]` confidence scores. */
  scores: MetricInput;
}

/** Options of the tensor/array COCO evaluators. @category COCO */
export interface CocoMapOptions extends CocoEvalOptions {
  /** Box format of the inputs; default `xywh` for {@link cocoMeanAveragePrecision}, `xyxy` for {@link MeanAveragePrecision}. */
  boxFormat?: BoxFormat;
}

/** Growable gt columns. */
class GtColumns {
  boxes = new F64Buffer();
  image = new F64Buffer();
  category = new F64Buffer();
  crowd = new F64Buffer();
  area = new F64Buffer();

  table(): GtTable {
    const n = this.image.length;
    return {
      n,
      boxes: this.boxes.view(),
      image: this.image.view(),
      category: this.category.view(),
      crowd: Uint8Array.from(this.crowd.view()),
      area: this.area.view(),
      id: Float64Array.from({ length: n }, (_, i) => i + 1),
    };
  }
}

function addGt(cols: GtColumns, boxes: Float64Array, image: ArrayLike<number> | number, labels: ArrayLike<number>, crowd: ArrayLike<number> | null, area: ArrayLike<number> | null): void {
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    cols.image.push(typeof image === 'number' ? image : image[i]!);
    cols.category.push(labels[i]!);
    cols.crowd.push(crowd ? crowd[i]! : 0);
    cols.area.push(area ? area[i]! : boxes[4 * i + 2]! * boxes[4 * i + 3]!);
  }
  cols.boxes.append(boxes);
}

/** Columns read from {@link CocoGroundTruthArrays} or {@link CocoDetectionArrays}. */
interface Columns {
  n: number;
  /** `[n, 4]` xywh, float64. */
  boxes: Float64Array;
  imageIds: ArrayLike<number>;
  categoryIds: ArrayLike<number>;
  /** Optional `[n]` columns by name (iscrowd, area, scores). */
  extra: Record<string, ArrayLike<number> | null>;
}

/**
 * Reads and checks a set of flat columns: `[N, 4]` boxes (converted to
 * xywh), `[N]` integer ids and the named extra columns, all of length N.
 */
async function readColumns(
  op: string,
  name: string,
  x: CocoGroundTruthArrays | CocoDetectionArrays,
  format: BoxFormat,
  extra: Record<string, { kind: 'float' | 'bool'; required: boolean }>,
): Promise<Columns> {
  if (x === null || typeof x !== 'object') throw new FoveaError({ op, arg: name, expected: 'an object of arrays', got: String(x) });
  const b = await readInput(op, `${name}.boxes`, x.boxes, { rank: [1, 2] });
  const n = b.shape.length === 1 && b.shape[0] === 0 ? 0 : b.shape[0]!;
  if (n > 0 && (b.shape.length !== 2 || b.shape[1] !== 4)) {
    throw new FoveaError({ op, arg: `${name}.boxes`, expected: 'shape [N, 4]', got: `shape ${formatShape(b.shape)}` });
  }
  const fields = x as unknown as Record<string, MetricInput | undefined>;
  const col = async (k: string, kind: 'int' | 'float' | 'bool', required: boolean): Promise<ArrayLike<number> | null> => {
    const v = fields[k];
    if (v === undefined || v === null) {
      if (required) throw new FoveaError({ op, arg: `${name}.${k}`, expected: `a [${n}] array`, got: 'undefined' });
      return null;
    }
    const r = await readInput(op, `${name}.${k}`, v, { rank: 1, kind });
    if (r.shape[0] !== n) throw new FoveaError({ op, arg: `${name}.${k}`, expected: `shape [${n}]`, got: `shape ${formatShape(r.shape)}` });
    return r.data;
  };
  const boxes = convertBoxes(op, `${name}.boxes`, b.data, format, 'xywh');
  const imageIds = (await col('imageIds', 'int', true))!;
  const categoryIds = (await col('categoryIds', 'int', true))!;
  const out: Columns = { n, boxes, imageIds, categoryIds, extra: {} };
  for (const [k, spec] of Object.entries(extra)) out.extra[k] = await col(k, spec.kind, spec.required);
  return out;
}

/**
 * COCO box mAP from flat arrays or tensors (the form detectors output):
 * pycocotools-identical statistics, where the dataset's images are the ids
 * appearing in either input, its categories likewise, annotation ids are
 * `1..G` in input order and detection ids `1..D` (as `loadRes` assigns).
 * See {@link cocoEvaluate} for the rules and for COCO JSON input.
 *
 * @param gt see {@link CocoGroundTruthArrays}.
 * @param dets see {@link CocoDetectionArrays}.
 * @param opts see {@link CocoMapOptions}; boxes default to `xywh`.
 * @returns see {@link CocoEvalResult}.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cocoMeanAveragePrecision } from '@fovea/metrics';
 * const r = await cocoMeanAveragePrecision(
 *   { boxes: tf.tensor2d([[10, 10, 40, 40]]), imageIds: [1], categoryIds: [3] },
 *   { boxes: tf.tensor2d([[11, 10, 40, 40], [70, 70, 20, 20]]), imageIds: [1, 1], categoryIds: [3, 3], scores: [0.9, 0.4] },
 * );
 * r.stats[1]; // AP50 ≈ 1
 * ```
 * @category COCO
 */
export async function cocoMeanAveragePrecision(gt: CocoGroundTruthArrays, dets: CocoDetectionArrays, opts: CocoMapOptions = {}): Promise<CocoEvalResult> {
  const op = 'cocoMeanAveragePrecision';
  const format = checkOneOf(op, 'options.boxFormat', opts.boxFormat ?? 'xywh', ['xyxy', 'xywh', 'cxcywh'] as const);
  const g = await readColumns(op, 'gt', gt, format, { iscrowd: { kind: 'bool', required: false }, area: { kind: 'float', required: false } });
  const d = await readColumns(op, 'dets', dets, format, { scores: { kind: 'float', required: true } });
  const area = g.extra['area'] ?? null;
  for (let i = 0; area && i < area.length; i++) {
    if (area[i]! < 0) throw new FoveaError({ op, arg: 'gt.area', expected: 'areas >= 0', got: `${area[i]} at index ${i}` });
  }
  const scores = d.extra['scores']!;
  const cols = new GtColumns();
  addGt(cols, g.boxes, g.imageIds, g.categoryIds, g.extra['iscrowd'] ?? null, area);
  const dt = new DtBuilder(d.n);
  dt.reserve(d.n);
  for (let i = 0; i < d.n; i++) {
    dt.add(d.boxes[4 * i]!, d.boxes[4 * i + 1]!, d.boxes[4 * i + 2]!, d.boxes[4 * i + 3]!, d.imageIds[i]!, d.categoryIds[i]!, scores[i]!);
  }
  const imgs = uniqueSorted([...Array.from(g.imageIds), ...Array.from(d.imageIds)]);
  const cats = uniqueSorted([...Array.from(g.categoryIds), ...Array.from(d.categoryIds)]);
  const p = resolveParams(op, opts, imgs, cats);
  return runCocoEval(cols.table(), dt.table(), p);
}

/**
 * Streaming COCO mAP over per-image predictions and targets, in the shape
 * of torchmetrics' `MeanAveragePrecision` (`update(preds, targets)` with one
 * entry per image) but with pycocotools-identical results (see
 * {@link cocoEvaluate}). Images are numbered in the order they arrive;
 * categories are the labels seen in either input. Boxes default to `xyxy`.
 *
 * @example
 * ```ts
 * import { MeanAveragePrecision } from '@fovea/metrics';
 * const map = new MeanAveragePrecision();
 * await map.update(
 *   [{ boxes: [[10, 10, 50, 50]], scores: [0.8], labels: [1] }],
 *   [{ boxes: [[10, 12, 50, 50]], labels: [1] }],
 * );
 * const r = map.compute();
 * r.named.AP50; // ≈ 1
 * ```
 * @category COCO
 */
export class MeanAveragePrecision implements Metric<[DetectionPrediction[], DetectionTarget[]], CocoEvalResult> {
  private readonly opts: CocoMapOptions;
  private readonly format: BoxFormat;
  private gt = new GtColumns();
  private dt = new DtBuilder();
  private images = 0;

  /** @param opts see {@link CocoMapOptions} (`imgIds`/`catIds` select among the numbered images and labels seen). */
  constructor(opts: CocoMapOptions = {}) {
    const op = 'MeanAveragePrecision';
    this.format = checkOneOf(op, 'options.boxFormat', opts.boxFormat ?? 'xyxy', ['xyxy', 'xywh', 'cxcywh'] as const);
    resolveParams(op, opts, [], []); // validate now
    this.opts = opts;
  }

  /**
   * Adds a batch of images (validated first; a bad batch adds nothing).
   * @param preds one {@link DetectionPrediction} per image.
   * @param targets one {@link DetectionTarget} per image (same order).
   */
  async update(preds: DetectionPrediction[], targets: DetectionTarget[]): Promise<void> {
    const op = 'MeanAveragePrecision.update';
    const n = checkImageLists(op, preds, targets);
    const first = this.images;
    this.images += n; // reserve the image numbers now, so concurrent updates keep call order
    const read = [];
    for (let i = 0; i < n; i++) {
      read.push([await readPrediction(op, `preds[${i}]`, preds[i]!, this.format, 'xywh'), await readTarget(op, `targets[${i}]`, targets[i]!, this.format, 'xywh')] as const);
    }
    read.forEach(([p, t], i) => {
      addGt(this.gt, t.boxes, first + i, t.labels, t.iscrowd, t.area);
      this.dt.reserve(p.labels.length);
      for (let k = 0; k < p.labels.length; k++) {
        const b = p.boxes;
        this.dt.add(b[4 * k]!, b[4 * k + 1]!, b[4 * k + 2]!, b[4 * k + 3]!, first + i, p.labels[k]!, p.scores[k]!);
      }
    });
  }

  /** COCO statistics over every image seen. */
  compute(): CocoEvalResult {
    const gt = this.gt.table();
    const dt = this.dt.table();
    const imgs = Array.from({ length: this.images }, (_, i) => i);
    const cats = uniqueSorted([...Array.from(gt.category), ...Array.from(dt.category)]);
    return runCocoEval(gt, dt, resolveParams('MeanAveragePrecision.compute', this.opts, imgs, cats));
  }

  /** Forgets every image. */
  reset(): void {
    this.gt = new GtColumns();
    this.dt = new DtBuilder();
    this.images = 0;
  }
}
