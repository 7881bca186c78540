import type { MetricInput } from '../_internal/input.js';

/**
 * Box coordinate convention of tensor/array detection inputs: `xyxy` =
 * `[x1, y1, x2, y2]`, `xywh` = `[x, y, width, height]` (COCO's), `cxcywh` =
 * `[centre x, centre y, width, height]`; all in pixels.
 *
 * @example
 * ```ts
 * import { MeanAveragePrecision, type BoxFormat } from '@fovea/metrics';
 * const format: BoxFormat = 'xywh';
 * const map = new MeanAveragePrecision({ boxFormat: format });
 * ```
 * @category Detection
 */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

/**
 * One image's detections (a detector's output).
 *
 * @example
 * ```ts
 * import type { DetectionPrediction } from '@fovea/metrics';
 * const pred: DetectionPrediction = { boxes: [[10, 10, 50, 60]], scores: [0.9], labels: [3] };
 * ```
 * @category Detection
 */
export interface DetectionPrediction {
  /** `[D, 4]` boxes in the evaluator's {@link BoxFormat}, pixels. */
  boxes: MetricInput;
  /** `[D]` confidence scores. */
  scores: MetricInput;
  /** `[D]` integer category ids. */
  labels: MetricInput;
}

/**
 * One image's ground truth.
 *
 * @example
 * ```ts
 * import type { DetectionTarget } from '@fovea/metrics';
 * const target: DetectionTarget = { boxes: [[12, 8, 52, 61]], labels: [3], iscrowd: [false] };
 * ```
 * @category Detection
 */
export interface DetectionTarget {
  /** `[G, 4]` boxes in the evaluator's {@link BoxFormat}, pixels. */
  boxes: MetricInput;
  /** `[G]` integer category ids. */
  labels: MetricInput;
  /** `[G]` COCO crowd flags (default all false). Used by COCO evaluation. */
  iscrowd?: MetricInput;
  /** `[G]` COCO `area` (e.g. the mask area) for the area ranges; default the box area. Used by COCO evaluation. */
  area?: MetricInput;
  /** `[G]` PASCAL VOC "difficult" flags (default all false). Used by VOC evaluation. */
  difficult?: MetricInput;
}
