import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@fovea/core';

/**
 * The ground truth of one training image, torchvision's `targets[i]` for its
 * detection models.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { DetectorTarget } from '@fovea/detection';
 * const target: DetectorTarget = {
 *   boxes: tf.tensor2d([[10, 12, 30, 40]]),   // one object
 *   labels: tf.tensor1d([2], 'int32'),        // of class 2
 * };
 * ```
 * @category Detectors
 */
export interface DetectorTarget {
  /** `[M, 4]` float32 boxes as `[x1, y1, x2, y2]` in pixels (pixel edges: a box covering columns 3..5 is `x1 = 3, x2 = 6`). */
  boxes: tf.Tensor2D;
  /** `[M]` int32 class labels in `1..K` (0 is the background). */
  labels: tf.Tensor1D;
  /** `[M, H, W]` float32 0/1 instance masks at image resolution (needed by {@link MaskRCNN} only). */
  masks?: tf.Tensor3D;
}

/**
 * What a detector finds in one image (the caller disposes the tensors, e.g.
 * with {@link disposeDetections}).
 *
 * @example
 * ```ts
 * import type { Detections } from '@fovea/detection';
 * const [d] = await detector.detect(images);  // Detections of the first image
 * d.boxes.shape;  // [D, 4]
 * ```
 * @category Detectors
 */
export interface Detections {
  /** `[D, 4]` float32 boxes as `[x1, y1, x2, y2]` in pixels, by decreasing score. */
  boxes: tf.Tensor2D;
  /** `[D]` float32 confidence scores in `[0, 1]`. */
  scores: tf.Tensor1D;
  /** `[D]` int32 class labels in `1..K`. */
  labels: tf.Tensor1D;
  /** `[D, H, W]` float32 mask probabilities at image resolution (instance-segmentation models only). */
  masks?: tf.Tensor3D;
}

/**
 * Post-processing options of `detect` (torchvision's `box_score_thresh`,
 * `box_nms_thresh`, `box_detections_per_img`).
 *
 * @example
 * ```ts
 * import type { DetectOptions } from '@fovea/detection';
 * const opts: DetectOptions = { scoreThreshold: 0.3, nmsThreshold: 0.5, maxDetections: 20 };
 * ```
 * @category Detectors
 */
export interface DetectOptions {
  /** Detections scoring at or below this are dropped; default the model's (usually 0.05). */
  scoreThreshold?: number;
  /** IoU above which a lower-scoring box of the same class is suppressed; default the model's (usually 0.5). */
  nmsThreshold?: number;
  /** At most this many detections per image, the best-scoring; default the model's (usually 100). */
  maxDetections?: number;
}

/**
 * What a detector's `prepareTraining` returns: everything its losses need
 * that required reading values back (matches, sampled indices, proposals),
 * as tensors owned by the object until `dispose()`.
 *
 * @example
 * ```ts
 * const prepared = await model.prepareTraining(images, targets);
 * const losses = model.trainingLosses(images, prepared); // named scalars
 * prepared.dispose();
 * ```
 * @category Training
 */
export interface PreparedBatch {
  /** Releases the tensors the batch holds. */
  dispose(): void;
}

/**
 * A model that {@link lossAndGradients} can train: the loss is computed in two
 * steps because matching ground truth to anchors or proposals (and the NMS
 * that makes proposals) reads values back, which is asynchronous, while
 * gradients are taken of a synchronous function.
 *
 * @typeParam P what {@link TrainableDetector.prepareTraining} returns.
 * @example
 * ```ts
 * import { lossAndGradients, type TrainableDetector } from '@fovea/detection';
 * const model: TrainableDetector = new FCOS({ numClasses: 3 });
 * const { losses, grads } = await lossAndGradients(model, images, targets);
 * ```
 * @category Training
 */
export interface TrainableDetector<P extends PreparedBatch = PreparedBatch> extends Module {
  /**
   * Asynchronous, no gradients: matches the targets to the model's anchors,
   * proposals or locations, samples, and returns what the losses need.
   */
  prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<P>;
  /** Synchronous and differentiable: the named loss terms (their sum is the training loss). */
  trainingLosses(images: tf.Tensor4D, prepared: P): Record<string, tf.Scalar>;
}
