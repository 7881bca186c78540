/**
 * `@fovea/metrics`: evaluation metrics without gradients — classification,
 * PR curves and AP, VOC and COCO mAP (pycocotools-exact, with a CLI), mIoU,
 * panoptic quality, FID/IS from features, PSNR/SSIM. Every metric is a
 * function and a streaming class (`update` / `compute` / `reset`), and
 * accepts tensors (read with `await t.data()`) or plain arrays.
 *
 * @packageDocumentation
 */
export type { MetricInput } from './_internal/input.js';
export type { Metric } from './metric.js';

export { accuracy, Accuracy, type AccuracyOptions } from './classification/accuracy.js';
export {
  confusionMatrix,
  ConfusionMatrix,
  type ConfusionMatrixOptions,
  type ConfusionMatrixMetricOptions,
} from './classification/confusion-matrix.js';
export {
  precisionRecallF1,
  PrecisionRecallF1,
  type PrecisionRecallF1Options,
  type ClassAverage,
  type AveragedScores,
  type PerClassScores,
} from './classification/precision-recall-f1.js';
export {
  precisionRecallCurve,
  PrecisionRecallCurveMetric,
  type PrecisionRecallCurve,
} from './classification/precision-recall-curve.js';
export { averagePrecision, AveragePrecision, type AveragePrecisionOptions } from './classification/average-precision.js';

export type { BoxFormat, DetectionPrediction, DetectionTarget } from './detection/types.js';
export { vocAp, type VocApOptions } from './detection/voc-ap.js';
export {
  vocMeanAveragePrecision,
  VocMeanAveragePrecision,
  type VocMapOptions,
  type VocMapResult,
  type VocClassResult,
} from './detection/voc-map.js';
export type {
  CocoImage,
  CocoCategory,
  CocoAnnotation,
  CocoGroundTruth,
  CocoResult,
  CocoAreaRange,
  CocoEvalOptions,
  CocoEvalParams,
  CocoStats,
  CocoCategoryResult,
  CocoEvalResult,
} from './detection/coco-types.js';
export { cocoEvaluate, CocoEvaluator } from './detection/coco-evaluate.js';
export {
  cocoMeanAveragePrecision,
  MeanAveragePrecision,
  type CocoGroundTruthArrays,
  type CocoDetectionArrays,
  type CocoMapOptions,
} from './detection/coco-map.js';
export { formatCocoSummary, cocoPrecisionRecall, type CocoPrecisionRecallOptions } from './detection/coco-summary.js';
export { readCocoJson } from './detection/coco-files.js';

export { meanIoU, MeanIoU, type MeanIoUOptions, type MeanIoUResult } from './segmentation/mean-iou.js';
export {
  panopticQuality,
  PanopticQuality,
  type PanopticPrediction,
  type PanopticTarget,
  type PanopticQualityOptions,
  type PanopticScores,
  type PanopticResult,
} from './segmentation/panoptic-quality.js';

export { frechetDistance, FrechetDistance, type FrechetDistanceOptions } from './generative/frechet-distance.js';
export {
  inceptionScore,
  InceptionScore,
  type InceptionScoreOptions,
  type InceptionScoreResult,
} from './generative/inception-score.js';
export { psnr, PSNR, type PsnrOptions } from './image/psnr.js';
export { ssim, SSIM, type SsimOptions } from './image/ssim.js';
