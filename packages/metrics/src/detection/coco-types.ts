/** COCO data formats (as in the annotation and results JSON files) and evaluation results. */

/**
 * An image record of a COCO annotation file (only `id` is used).
 *
 * @example
 * ```ts
 * import type { CocoImage } from '@fovea/metrics';
 * const img: CocoImage = { id: 1, width: 640, height: 480, file_name: '000001.jpg' };
 * ```
 * @category COCO
 */
export interface CocoImage {
  /** The image id. */
  id: number;
  /** Any other field (width, file_name, …) is kept but unused. */
  [key: string]: unknown;
}

/**
 * A category record of a COCO annotation file.
 *
 * @example
 * ```ts
 * import type { CocoCategory } from '@fovea/metrics';
 * const cat: CocoCategory = { id: 18, name: 'dog' };
 * ```
 * @category COCO
 */
export interface CocoCategory {
  /** The category id. */
  id: number;
  /** Its name (used in per-category reports when present). */
  name?: string;
  /** Any other field is kept but unused. */
  [key: string]: unknown;
}

/**
 * A ground-truth object of a COCO annotation file.
 *
 * @example
 * ```ts
 * import type { CocoAnnotation } from '@fovea/metrics';
 * const ann: CocoAnnotation = { id: 1, image_id: 1, category_id: 18, bbox: [10, 20, 30, 40], area: 980, iscrowd: 0 };
 * ```
 * @category COCO
 */
export interface CocoAnnotation {
  /** Annotation id, unique in the file. */
  id: number;
  /** The image it belongs to (must be listed in `images`). */
  image_id: number;
  /** Its category (must be listed in `categories`). */
  category_id: number;
  /** `[x, y, width, height]` in pixels, width and height ≥ 0. */
  bbox: number[];
  /**
   * COCO's `area` (the segment area) that decides small/medium/large. When
   * absent the box area `w·h` is used (pycocotools would fail instead).
   */
  area?: number;
  /** Crowd region: never a false negative, may absorb any number of detections. Default 0. */
  iscrowd?: number | boolean;
  /** Any other field (segmentation, …) is kept but unused. */
  [key: string]: unknown;
}

/**
 * A COCO annotation file (`instances_val2017.json` and the like).
 *
 * @example
 * ```ts
 * import type { CocoGroundTruth } from '@fovea/metrics';
 * const gt: CocoGroundTruth = {
 *   images: [{ id: 1 }],
 *   categories: [{ id: 1, name: 'cat' }],
 *   annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], area: 100 }],
 * };
 * ```
 * @category COCO
 */
export interface CocoGroundTruth {
  /** The images evaluated (every one, with or without objects). */
  images: CocoImage[];
  /** The ground-truth objects. */
  annotations: CocoAnnotation[];
  /** The categories evaluated. */
  categories: CocoCategory[];
  /** Any other field (info, licenses, …) is ignored. */
  [key: string]: unknown;
}

/**
 * One detection of a COCO results file (what `loadRes` reads).
 *
 * @example
 * ```ts
 * import type { CocoResult } from '@fovea/metrics';
 * const det: CocoResult = { image_id: 1, category_id: 18, bbox: [11, 19, 30, 41], score: 0.92 };
 * ```
 * @category COCO
 */
export interface CocoResult {
  /** The image (must be one of the ground truth's images). */
  image_id: number;
  /** The category (must be one of the ground truth's categories). */
  category_id: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: number[];
  /** Confidence; higher ranks first. */
  score: number;
  /** Any other field is ignored. */
  [key: string]: unknown;
}

/**
 * A named object-size range for the COCO area breakdown.
 *
 * @example
 * ```ts
 * import type { CocoAreaRange } from '@fovea/metrics';
 * const small: CocoAreaRange = { label: 'small', range: [0, 32 ** 2] };
 * ```
 * @category COCO
 */
export interface CocoAreaRange {
  /** Label; `all`, `small`, `medium` and `large` are the ones the 12 statistics read. */
  label: string;
  /** `[min, max]` area in pixels², inclusive at both ends. */
  range: [number, number];
}

/** Options of COCO evaluation (pycocotools' `Params`); the defaults are COCO's. @category COCO */
export interface CocoEvalOptions {
  /** IoU thresholds; default `linspace(0.5, 0.95, 10)` computed as numpy does. */
  iouThresholds?: number[];
  /** Recall thresholds; default `linspace(0, 1, 101)`. */
  recallThresholds?: number[];
  /** Max detections per image, 3 values (sorted); default `[1, 10, 100]`. */
  maxDets?: number[];
  /** Area ranges; default all `[0, 1e10]`, small `[0, 32²]`, medium `[32², 96²]`, large `[96², 1e10]`. */
  areaRanges?: CocoAreaRange[];
  /** Evaluate only these image ids (default all images of the ground truth). */
  imgIds?: number[];
  /** Evaluate only these category ids (default all categories). */
  catIds?: number[];
  /** Use category labels (default true); false pools every category, as for proposals. */
  useCats?: boolean;
}

/** The parameters an evaluation ran with (resolved {@link CocoEvalOptions}). @category COCO */
export interface CocoEvalParams {
  /** `[T]` IoU thresholds. */
  iouThresholds: number[];
  /** `[R]` recall thresholds. */
  recallThresholds: number[];
  /** `[M]` max detections per image, ascending. */
  maxDets: number[];
  /** `[A]` area ranges. */
  areaRanges: CocoAreaRange[];
  /** Image ids evaluated, ascending. */
  imgIds: number[];
  /** Category ids evaluated, ascending (`K` of them; with `useCats: false` they are pooled into one, `K = 1`). */
  catIds: number[];
  /** Whether categories were used. */
  useCats: boolean;
}

/**
 * The 12 COCO box statistics by name (pycocotools `stats[0..11]`); -1 where
 * no category has ground truth in that setting.
 * @category COCO
 */
export interface CocoStats {
  /** AP @ IoU 0.50:0.95, all areas, 100 dets. */
  AP: number;
  /** AP @ IoU 0.50. */
  AP50: number;
  /** AP @ IoU 0.75. */
  AP75: number;
  /** AP of small objects (area < 32²). */
  APs: number;
  /** AP of medium objects. */
  APm: number;
  /** AP of large objects (area > 96²). */
  APl: number;
  /** AR with 1 detection per image. */
  AR1: number;
  /** AR with 10 detections per image. */
  AR10: number;
  /** AR with 100 detections per image. */
  AR100: number;
  /** AR of small objects. */
  ARs: number;
  /** AR of medium objects. */
  ARm: number;
  /** AR of large objects. */
  ARl: number;
}

/** Per-category summary of a COCO evaluation. @category COCO */
export interface CocoCategoryResult {
  /** The category id. */
  categoryId: number;
  /** Its name, when the ground truth gives one. */
  name?: string;
  /** AP @ IoU 0.50:0.95, all areas, 100 dets (-1 without ground truth). */
  AP: number;
  /** AP @ IoU 0.50 (-1 without ground truth). */
  AP50: number;
  /** AP @ IoU 0.75 (-1 without ground truth). */
  AP75: number;
  /** AR @ IoU 0.50:0.95, 100 dets (-1 without ground truth). */
  AR100: number;
}

/**
 * Everything a COCO evaluation produces: pycocotools' `stats` and its
 * `eval` arrays (flat, row-major), plus named and per-category views.
 * @category COCO
 */
export interface CocoEvalResult {
  /** The 12 statistics in pycocotools' order (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl). */
  stats: number[];
  /** The same 12 statistics by name. */
  named: CocoStats;
  /** `[T, R, K, A, M]`: the sizes of {@link CocoEvalResult.precision}. */
  counts: [number, number, number, number, number];
  /** `[T, R, K, A, M]` interpolated precision at each recall threshold; -1 where a category has no gt. */
  precision: Float64Array;
  /** `[T, K, A, M]` final recall; -1 where a category has no gt. */
  recall: Float64Array;
  /** `[T, R, K, A, M]` score of the detection that reaches each recall threshold. */
  scores: Float64Array;
  /** Per-category AP/AR. */
  perCategory: CocoCategoryResult[];
  /** The parameters used. */
  params: CocoEvalParams;
}
