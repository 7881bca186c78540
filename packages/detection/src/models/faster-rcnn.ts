import * as tf from '@tensorflow/tfjs-core';
import { RegionProposalNetwork, disposeRpnTargets, type RPNOptions, type RPNOutput, type RPNTargets } from './rpn.js';
import { disposeRoiSamples, type RoISamples } from './roi-heads.js';
import { TwoStageDetector, type TwoStageOptions } from './two-stage.js';
import { withFrozenBuffers } from './_internal/batch-stats.js';
import { checkImages, checkTargetValues, checkTargets } from './_internal/checks.js';
import { genOpt } from './_internal/init.js';
import type { DetectorTarget, PreparedBatch } from './types.js';

/** Options for {@link FasterRCNN}. @category Detectors */
export interface FasterRCNNOptions extends TwoStageOptions {
  /** The region proposal network (see {@link RPNOptions}). */
  rpn?: Omit<RPNOptions, 'inChannels' | 'generator'>;
}

/** What {@link FasterRCNN.forward} returns: the first stage's outputs. @category Detectors */
export interface FasterRCNNOutput extends RPNOutput {
  /** `[N, h, w, C]` the feature map shared by both stages. */
  features: tf.Tensor4D;
}

/** {@link FasterRCNN}'s prepared training batch. @category Detectors */
export interface FasterRCNNPrepared extends PreparedBatch {
  /** The anchors' objectness and regression targets. */
  rpn: RPNTargets;
  /** The sampled proposals and their targets. */
  samples: RoISamples;
}

/**
 * Faster R-CNN (Ren, He, Girshick and Sun, NeurIPS 2015), built like
 * torchvision's `FasterRCNN`: a {@link ConvBackbone} with a
 * {@link FeaturePyramid} gives one feature map; the
 * {@link RegionProposalNetwork} scores anchors and regresses them into
 * proposals (NMS 0.7); the {@link RoIHeads} pool each proposal (RoIAlign),
 * classify it into `K + 1` classes and refine its box. Training minimises the
 * four losses — `loss_objectness`, `loss_rpn_box_reg`, `loss_classifier`,
 * `loss_box_reg` — with {@link lossAndGradients}; `detect` returns boxes,
 * scores and labels per image. Sizes default to 64–128 px scenes (anchors 12,
 * 20, 32 px at stride 4); save and load weights with core's `saveModule` /
 * `loadModule` (safetensors, PyTorch-style keys).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Adam } from '@fovea/optim';
 * import { FasterRCNN, lossAndGradients, shapesScenes, shapesToTargets } from '@fovea/detection';
 * const model = new FasterRCNN({ numClasses: 3 });
 * const optimizer = new Adam(model.trainableParameters(), { lr: 1e-3 });
 * const batch = shapesToTargets(shapesScenes(8));
 * const { losses, grads } = await lossAndGradients(model, batch.images, batch.targets);
 * optimizer.step(grads);
 * tf.dispose(grads);
 * const [d] = await model.detect(batch.images, { scoreThreshold: 0.5 });
 * d.boxes.shape; // [D, 4]; d.labels: 1 circle, 2 square, 3 triangle
 * ```
 * @category Detectors
 */
export class FasterRCNN extends TwoStageDetector<FasterRCNNOutput, FasterRCNNPrepared> {
  /** The region proposal network. */
  readonly rpn: RegionProposalNetwork;

  /** @param opts classes, backbone, feature pyramid, RPN, box head, generator. */
  constructor(opts: FasterRCNNOptions) {
    super('FasterRCNN', opts);
    try {
      this.rpn = this.registerModule('rpn', new RegionProposalNetwork({ ...opts.rpn, inChannels: this.fpn.outChannels, ...genOpt(opts.generator) }));
    } catch (e) {
      this.dispose(); // release what was built before the bad option
      throw e;
    }
  }

  /** `images [N, H, W, 3]` → the shared features and the RPN's objectness `[N, A]` and deltas `[N, A, 4]`. */
  forward(images: tf.Tensor): FasterRCNNOutput {
    checkImages('FasterRCNN.forward', images, this.backbone.inChannels);
    return tf.tidy(() => {
      const features = this.features(images);
      return { features, ...this.rpn.forward(features) };
    });
  }

  /** The anchors of these images' feature map, `[h·w·A, 4]`. */
  anchorsFor(images: tf.Tensor, features: tf.Tensor): tf.Tensor2D {
    return this.rpn.anchors([images.shape[1]!, images.shape[2]!], [features.shape[1]!, features.shape[2]!]);
  }

  /**
   * Matches anchors to the targets and samples them, makes proposals with a
   * forward pass that leaves BatchNorm statistics untouched, and samples the
   * proposals for the box head.
   */
  async prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<FasterRCNNPrepared> {
    const op = `${this.constructor.name}.prepareTraining`;
    const [n, h, w] = checkImages(op, images, this.backbone.inChannels);
    checkTargets(op, targets, n, [h, w], this.needsMasks());
    await checkTargetValues(op, targets, this.numClasses);
    const { proposals, anchors } = await withFrozenBuffers(this, async () => {
      const out = this.forward(images);
      const a = this.anchorsFor(images, out.features);
      try {
        return { proposals: await this.rpn.proposals(out.objectness, out.deltas, a, [h, w]), anchors: a };
      } finally {
        tf.dispose([out.features, out.objectness, out.deltas]);
      }
    });
    try {
      const rpn = await this.rpn.assignTargets(anchors, targets);
      const samples = await this.roiHeads.sampleProposals(proposals, targets).catch((e) => {
        disposeRpnTargets(rpn);
        throw e;
      });
      return this.extendPrepared(images, targets, { rpn, samples, dispose: () => (disposeRpnTargets(rpn), disposeRoiSamples(samples)) });
    } finally {
      tf.dispose([anchors, ...proposals]);
    }
  }

  /** Whether targets must carry masks ({@link MaskRCNN}). */
  protected needsMasks(): boolean {
    return false;
  }

  /** Lets a subclass add to the prepared batch (e.g. mask targets). */
  protected async extendPrepared(_images: tf.Tensor4D, _targets: DetectorTarget[], prepared: FasterRCNNPrepared): Promise<FasterRCNNPrepared> {
    return prepared;
  }

  /** `loss_objectness`, `loss_rpn_box_reg`, `loss_classifier`, `loss_box_reg` (and a subclass's). */
  trainingLosses(images: tf.Tensor4D, prepared: FasterRCNNPrepared): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const out = this.forward(images);
      return { ...this.rpn.losses(out, prepared.rpn), ...this.secondStageLosses(out.features, prepared.samples, prepared) };
    });
  }

  protected async inferenceProposals(images: tf.Tensor4D, features: tf.Tensor4D): Promise<tf.Tensor2D[]> {
    const out = this.rpn.forward(features);
    const anchors = this.anchorsFor(images, features);
    try {
      return await this.rpn.proposals(out.objectness, out.deltas, anchors, [images.shape[1], images.shape[2]]);
    } finally {
      tf.dispose([out.objectness, out.deltas, anchors]);
    }
  }
}
