/**
 * `@fovea/detection`: object-detection ops on TensorFlow.js — box formats,
 * the IoU family and its losses, NMS (greedy, class-aware, soft), anchors,
 * the box coder, the matcher and the balanced sampler, RoIAlign / RoIPool,
 * the focal loss, sliding windows and selective-search region proposals —
 * matching torchvision's numbers on WebGPU, WASM and CPU.
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
