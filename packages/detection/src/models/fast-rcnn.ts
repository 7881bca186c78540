import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '@fovea/core';
import { selectiveSearchProposer, type Proposer } from './proposers.js';
import { disposeRoiSamples, type RoISamples } from './roi-heads.js';
import { TwoStageDetector, type TwoStageOptions } from './two-stage.js';
import { checkImages, checkTargetValues, checkTargets } from './_internal/checks.js';
import type { DetectorTarget, PreparedBatch } from './types.js';

/** Options for {@link FastRCNN}. @category Detectors */
export interface FastRCNNOptions extends TwoStageOptions {
  /** Where the proposals come from; default {@link selectiveSearchProposer}. */
  proposer?: Proposer;
}

/** {@link FastRCNN}'s prepared training batch. @category Detectors */
export interface FastRCNNPrepared extends PreparedBatch {
  /** The sampled proposals and their targets. */
  samples: RoISamples;
}

/**
 * Fast R-CNN (Girshick, ICCV 2015): the backbone runs once per image, and
 * each external region proposal (selective search by default) is pooled from
 * the shared feature map — {@link roiPool} as in the paper with
 * `roiHeads: { pooler: 'pool' }`, or {@link roiAlign} — into the
 * {@link RoIHeads} (two fully connected layers, class logits, per-class box
 * deltas). Training samples proposals (IoU ≥ 0.5 foreground, a quarter of
 * the batch) and minimises `loss_classifier` + `loss_box_reg`.
 *
 * @example
 * ```ts
 * import { FastRCNN, lossAndGradients, shapesScenes, shapesToTargets } from '@fovea/detection';
 * const model = new FastRCNN({ numClasses: 3, roiHeads: { pooler: 'pool' } });
 * const batch = shapesToTargets(shapesScenes(4));
 * const { losses } = await lossAndGradients(model, batch.images, batch.targets); // { loss_classifier, loss_box_reg }
 * const [d] = await model.detect(batch.images);
 * ```
 * @category Detectors
 */
export class FastRCNN extends TwoStageDetector<tf.Tensor4D, FastRCNNPrepared> {
  /** Where the proposals come from. */
  readonly proposer: Proposer;

  /** @param opts classes, backbone, feature pyramid, box head, proposer, generator. */
  constructor(opts: FastRCNNOptions) {
    super('FastRCNN', opts);
    this.proposer = opts.proposer ?? selectiveSearchProposer();
    if (typeof this.proposer !== 'function') throw new FoveaError({ op: 'FastRCNN', arg: 'options.proposer', expected: 'a function images => Promise<boxes per image>', got: typeof opts.proposer });
  }

  /** `images [N, H, W, 3]` → the feature map `[N, H/s, W/s, fpnChannels]` the proposals are pooled from. */
  forward(images: tf.Tensor): tf.Tensor4D {
    checkImages('FastRCNN.forward', images, this.backbone.inChannels);
    return this.features(images);
  }

  /** Proposes, then matches and samples the proposals of each image. */
  async prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<FastRCNNPrepared> {
    const op = 'FastRCNN.prepareTraining';
    const [n, h, w] = checkImages(op, images, this.backbone.inChannels);
    checkTargets(op, targets, n, [h, w]);
    await checkTargetValues(op, targets, this.numClasses);
    const proposals = await this.proposer(images);
    try {
      const samples = await this.roiHeads.sampleProposals(proposals, targets);
      return { samples, dispose: () => disposeRoiSamples(samples) };
    } finally {
      tf.dispose(proposals);
    }
  }

  /** `loss_classifier` and `loss_box_reg`. */
  trainingLosses(images: tf.Tensor4D, prepared: FastRCNNPrepared): Record<string, tf.Scalar> {
    return tf.tidy(() => this.secondStageLosses(this.features(images), prepared.samples, prepared));
  }

  protected async inferenceProposals(images: tf.Tensor4D): Promise<tf.Tensor2D[]> {
    return this.proposer(images);
  }
}
