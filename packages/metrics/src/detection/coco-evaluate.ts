import { addResults, DtBuilder, indexGroundTruth, type GtIndex } from '../_internal/coco-data.js';
import { resolveParams } from '../_internal/coco-params.js';
import { runCocoEval } from '../_internal/coco-run.js';
import type { Metric } from '../metric.js';
import type { CocoEvalOptions, CocoEvalParams, CocoEvalResult, CocoGroundTruth, CocoResult } from './coco-types.js';

/**
 * COCO box evaluation, identical to pycocotools'
 * `COCOeval(gt, gt.loadRes(results), 'bbox')` → `evaluate()`,
 * `accumulate()`, `summarize()`: the 12 statistics (`stats`), the
 * `precision`/`recall`/`scores` arrays, plus named and per-category views.
 *
 * Every rule of pycocotools is reproduced: per (image, category) the
 * detections are stable-sorted by score and the first `maxDets[-1]` kept;
 * IoU on `xywh` boxes with a crowd gt's union being the detection's area;
 * greedy matching per IoU threshold (a later gt with an equal IoU wins, a
 * crowd gt absorbs any number of detections, a detection holding a regular
 * gt never moves to an ignored one); gts ignored when crowd or their `area`
 * field is outside the range; unmatched detections outside the range
 * ignored; 101-point interpolated precision; -1 for settings without gt.
 *
 * Inputs are the COCO JSON objects (see {@link readCocoJson} for files).
 * Bad records are rejected with a FoveaError that names them: a negative
 * width or height, an image or category id the ground truth does not list,
 * a non-finite score, a duplicate annotation id.
 *
 * @param gt the annotation file's object (`images`, `annotations`, `categories`).
 * @param results the results list (`[{image_id, category_id, bbox, score}]`).
 * @param opts see {@link CocoEvalOptions} (pycocotools' `Params`; defaults are COCO's).
 * @returns see {@link CocoEvalResult}; `stats` is pycocotools' `stats`.
 * @example
 * ```ts
 * import { cocoEvaluate, formatCocoSummary } from '@fovea/metrics';
 * const gt = {
 *   images: [{ id: 1 }],
 *   categories: [{ id: 1, name: 'cat' }],
 *   annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 100, 80], area: 8000, iscrowd: 0 }],
 * };
 * const r = cocoEvaluate(gt, [{ image_id: 1, category_id: 1, bbox: [12, 10, 100, 80], score: 0.9 }]);
 * r.named.AP50;                         // 0.9999999999999999 (pycocotools' precision is tp / (tp + fp + 2.2e-16))
 * console.log(formatCocoSummary(r));    // the 12 lines pycocotools prints
 * ```
 * @category COCO
 */
export function cocoEvaluate(gt: CocoGroundTruth, results: CocoResult[], opts: CocoEvalOptions = {}): CocoEvalResult {
  const op = 'cocoEvaluate';
  const g = indexGroundTruth(op, gt);
  const p = resolveParams(op, opts, g.imgIds, g.catIds);
  const dt = new DtBuilder(Array.isArray(results) ? results.length : 1);
  addResults(op, 'results', results, g, dt);
  return runCocoEval(g.table, dt.table(), p, g.catNames);
}

/**
 * Streaming COCO evaluation against a fixed ground truth: construct it with
 * the annotation file, `update()` with each batch's results records, and
 * `compute()` gives what {@link cocoEvaluate} gives for all of them. The
 * detections are stored as typed-array columns (56 bytes each).
 *
 * @example
 * ```ts
 * import { CocoEvaluator } from '@fovea/metrics';
 * const gt = {
 *   images: [{ id: 1 }, { id: 2 }],
 *   categories: [{ id: 7 }],
 *   annotations: [
 *     { id: 1, image_id: 1, category_id: 7, bbox: [0, 0, 50, 50], area: 2500 },
 *     { id: 2, image_id: 2, category_id: 7, bbox: [20, 20, 40, 40], area: 1600 },
 *   ],
 * };
 * const ev = new CocoEvaluator(gt); // or: new CocoEvaluator(await readCocoJson('instances_val2017.json'))
 * await ev.update([{ image_id: 1, category_id: 7, bbox: [1, 0, 50, 50], score: 0.9 }]); // batch 1
 * await ev.update([{ image_id: 2, category_id: 7, bbox: [60, 60, 10, 10], score: 0.8 }]); // batch 2
 * ev.compute().named.AP50; // 0.505: recall 0.5 at precision 1 covers 51 of the 101 recall points
 * ```
 * @category COCO
 */
export class CocoEvaluator implements Metric<[CocoResult[]], CocoEvalResult> {
  /** The evaluation parameters (resolved against the ground truth). */
  readonly params: CocoEvalParams;
  private readonly gt: GtIndex;
  private dt = new DtBuilder();

  /**
   * @param gt the annotation file's object; validated now.
   * @param opts see {@link CocoEvalOptions}.
   */
  constructor(gt: CocoGroundTruth, opts: CocoEvalOptions = {}) {
    this.gt = indexGroundTruth('CocoEvaluator', gt);
    this.params = resolveParams('CocoEvaluator', opts, this.gt.imgIds, this.gt.catIds);
  }

  /**
   * Adds results records (validated; a bad batch adds nothing).
   * @param results `[{image_id, category_id, bbox: [x, y, w, h], score}]`.
   */
  async update(results: CocoResult[]): Promise<void> {
    addResults('CocoEvaluator.update', 'results', results, this.gt, this.dt);
  }

  /** Evaluates every detection added so far. */
  compute(): CocoEvalResult {
    return runCocoEval(this.gt.table, this.dt.table(), this.params, this.gt.catNames);
  }

  /** Forgets the detections (keeps the ground truth). */
  reset(): void {
    this.dt = new DtBuilder();
  }
}
