/**
 * `@fovea/detection`: object-detection ops on TensorFlow.js — box formats,
 * the IoU family and its losses, NMS (greedy, class-aware, soft), anchors,
 * the box coder, the matcher and the balanced sampler, RoIAlign / RoIPool,
 * the focal loss, sliding windows and selective-search region proposals —
 * matching torchvision's numbers on WebGPU, WASM and CPU — and the models
 * built on them: R-CNN, the sliding-window detector, Fast / Faster / Mask
 * R-CNN, FCOS, FCN semantic segmentation and panoptic merging, trained with
 * {@link lossAndGradients}, plus the synthetic shapes scenes.
 *
 * @packageDocumentation
 */
export { boxConvert, type BoxFormat } from './boxes/box-convert.js';
export { boxArea } from './boxes/box-area.js';
export { clipBoxesToImage } from './boxes/clip-boxes-to-image.js';
export { removeSmallBoxes } from './boxes/remove-small-boxes.js';
export { masksToBoxes } from './boxes/masks-to-boxes.js';
export { checkBoxes, type CheckBoxesOptions } from './boxes/check-boxes.js';

export { boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou, type BoxIouOptions, type IouKind } from './iou/box-iou.js';
export {
  boxIouLoss,
  generalizedBoxIouLoss,
  distanceBoxIouLoss,
  completeBoxIouLoss,
  type BoxIouLossOptions,
} from './iou/box-iou-loss.js';

export { nms, type NmsOptions } from './nms/nms.js';
export type { CandidateOptions } from './nms/_prepare.js';
export { batchedNms } from './nms/batched-nms.js';
export { softNms, type SoftNmsOptions, type SoftNmsResult } from './nms/soft-nms.js';

export { gridAnchors, AnchorGenerator, type GridAnchorsOptions, type AnchorGeneratorOptions } from './anchors/anchor-generator.js';
export { encodeBoxes, decodeBoxes, BoxCoder, BBOX_XFORM_CLIP, type BoxCoderWeights } from './coder/box-coder.js';
export { matchBoxes, Matcher, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, type MatcherOptions } from './matcher/matcher.js';
export {
  BalancedPositiveNegativeSampler,
  type SamplerOptions,
  type SampledMasks,
} from './sampler/balanced-positive-negative-sampler.js';

export { roiAlign, RoIAlign, type RoiAlignOptions, type RoiBoxes } from './roi/roi-align.js';
export { roiPool, RoIPool, type RoiPoolOptions } from './roi/roi-pool.js';
export { checkRoiBoxes } from './roi/check-roi-boxes.js';

export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './losses/sigmoid-focal-loss.js';

export { slidingWindows, slidingWindowCrops, type SlidingWindowOptions, type SlidingWindowCrops } from './proposals/sliding-window.js';
export { felzenszwalb, type FelzenszwalbOptions } from './proposals/felzenszwalb.js';
export { selectiveSearch, type SelectiveSearchOptions, type SimilarityWeights } from './proposals/selective-search.js';

export {
  generateShapesScene,
  shapesScenes,
  shapesToTensors,
  SHAPE_CLASSES,
  STUFF_CLASSES,
  SHAPE_COLORS,
  PANOPTIC_DIVISOR,
  type ShapeClass,
  type ShapeObject,
  type ShapesScene,
  type ShapesSceneOptions,
  type ShapesTensors,
} from './datasets/shapes.js';

export { shapesToTargets, shapesPanopticSegments, type ShapesTargetsOptions, type ShapesTrainingBatch, type ShapesPanopticSegments } from './datasets/shapes-targets.js';

export type { DetectorTarget, Detections, DetectOptions, PreparedBatch, TrainableDetector } from './models/types.js';
export { disposeDetections, detectionsToArrays, type DetectionArrays } from './models/detections.js';
export { lossAndGradients, type LossAndGradients } from './models/loss-and-gradients.js';
export { ConvBackbone, type ConvBackboneOptions, type BackboneBlock } from './models/backbone.js';
export { FeaturePyramid, type FeaturePyramidOptions } from './models/feature-pyramid.js';

export { FCN, type FCNOptions } from './segmentation/fcn.js';
export { RegionProposalNetwork, type RPNOptions, type RPNOutput, type RPNTargets } from './models/rpn.js';
export { RoIHeads, type RoIHeadsOptions, type RoIHeadsOutput, type RoISamples } from './models/roi-heads.js';
export { TwoStageDetector, type TwoStageOptions } from './models/two-stage.js';
export { FasterRCNN, type FasterRCNNOptions, type FasterRCNNOutput, type FasterRCNNPrepared } from './models/faster-rcnn.js';
export { FCOS, type FCOSOptions, type FCOSOutput, type FCOSPrepared, type FcosTargets } from './models/fcos.js';
export { MaskRCNN, type MaskRCNNOptions, type MaskHeadOptions, type MaskRCNNPrepared } from './models/mask-rcnn.js';
export { panopticMerge, panopticIds, type PanopticMergeOptions, type PanopticSegmentation, type PanopticSegmentInfo } from './segmentation/panoptic-merge.js';
export { PanopticSegmenter, type PanopticSegmenterOptions, type InstanceSegmenter, type SemanticSegmenter } from './segmentation/panoptic-segmenter.js';
export { selectiveSearchProposer, slidingWindowProposer, type Proposer } from './models/proposers.js';
export { FastRCNN, type FastRCNNOptions, type FastRCNNPrepared } from './models/fast-rcnn.js';
export { RCNN, SlidingWindowDetector, type RCNNOptions, type RCNNPrepared, type SlidingWindowDetectorOptions } from './models/rcnn.js';
