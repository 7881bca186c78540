import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkOneOf, relu, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import type { BoxCoderWeights } from '../coder/box-coder.js';
import { roiAlign } from '../roi/roi-align.js';
import { roiPool } from '../roi/roi-pool.js';
import { BalancedPositiveNegativeSampler } from '../sampler/balanced-positive-negative-sampler.js';
import { genOpt, initNormal } from './_internal/init.js';
import { fastRcnnLoss, postprocessBoxes, sampleRois, type RoIHeadsOutput, type RoISamples } from './_internal/box-branch.js';

export { disposeRoiSamples, toRois, type RoIHeadsOutput, type RoISamples } from './_internal/box-branch.js';
import type { DetectOptions, DetectorTarget, Detections } from './types.js';

/** Options for {@link RoIHeads} (torchvision's `box_*` arguments, scaled down for small images). @category Detectors */
export interface RoIHeadsOptions {
  /** Number of object classes `K` (labels `1..K`; 0 is the background). */
  numClasses: number;
  /** Channels of the feature map. */
  inChannels: number;
  /** Stride of the feature map (the pooler's `spatialScale` is its inverse). */
  featureStride: number;
  /** `'align'` ({@link roiAlign}, Mask R-CNN's) or `'pool'` ({@link roiPool}, Fast R-CNN's); default `'align'`. */
  pooler?: 'align' | 'pool';
  /** Pooled size per side; default 7. */
  poolSize?: number;
  /** RoIAlign samples per bin and axis; default 2 (torchvision's). */
  samplingRatio?: number;
  /** Width of the two fully connected layers; default 128 (torchvision 1024). */
  representationSize?: number;
  /** IoU at or above which a proposal is foreground; default 0.5. */
  fgIouThreshold?: number;
  /** IoU below which a proposal is background; default 0.5. */
  bgIouThreshold?: number;
  /** Proposals sampled per image for the losses; default 64 (torchvision 512). */
  batchSizePerImage?: number;
  /** Largest share of foreground among them; default 0.25. */
  positiveFraction?: number;
  /** Box-coder weights; default `[10, 10, 5, 5]`. */
  boxCoderWeights?: BoxCoderWeights;
  /** Default score threshold of detections; default 0.05. */
  scoreThreshold?: number;
  /** Default per-class NMS IoU threshold; default 0.5. */
  nmsThreshold?: number;
  /** Default maximum detections per image; default 100. */
  detectionsPerImage?: number;
  /** Random source of the initial weights and the sampling; default core's default generator. */
  generator?: Generator;
}

/**
 * The second stage of Fast / Faster R-CNN, torchvision's `RoIHeads` box
 * branch: pools each proposal from the feature map ({@link roiAlign} or
 * {@link roiPool}), two fully connected layers with ReLU (`box_head.fc6`,
 * `box_head.fc7`), then class logits (`box_predictor.cls_score`, `K + 1`
 * with the background) and class-specific box deltas
 * (`box_predictor.bbox_pred`). Training ({@link RoIHeads.sampleProposals},
 * {@link RoIHeads.losses}): proposals plus the ground-truth boxes are matched
 * (IoU ≥ 0.5 foreground), a quarter-foreground batch is sampled, and the
 * losses are cross-entropy and smooth L1 (β = 1/9) on the true class's
 * deltas. Inference ({@link RoIHeads.postprocess}): softmax, decoding per
 * class, clipping, score threshold, class-wise NMS, top detections.
 *
 * The pooled `[R, p, p, C]` features are flattened channels-last, so `fc6`
 * is not interchangeable with a torchvision checkpoint's.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RoIHeads } from '@fovea/detection';
 * const heads = new RoIHeads({ numClasses: 3, inChannels: 64, featureStride: 4 });
 * const rois = tf.tensor2d([[0, 8, 8, 30, 30]]);          // (batch index, x1, y1, x2, y2)
 * const out = heads.forward(tf.zeros([1, 16, 16, 64]), rois);
 * out.classLogits.shape; // [1, 4]
 * out.boxDeltas.shape;   // [1, 16]
 * ```
 * @category Detectors
 */
export class RoIHeads extends Module<[tf.Tensor, tf.Tensor2D], RoIHeadsOutput> {
  /** Number of object classes `K`. */
  readonly numClasses: number;
  /** The resolved options. */
  readonly options: Required<Omit<RoIHeadsOptions, 'generator'>>;
  private readonly fc6: Linear;
  private readonly fc7: Linear;
  private readonly clsScore: Linear;
  private readonly bboxPred: Linear;
  private readonly sampler: BalancedPositiveNegativeSampler;

  /** @param opts classes, channels, stride, pooler, head width, matching, sampling, inference defaults, generator. */
  constructor(opts: RoIHeadsOptions) {
    super();
    const op = 'RoIHeads';
    const o = {
      numClasses: checkNumber(op, 'options.numClasses', opts?.numClasses, { integer: true, min: 1 }),
      inChannels: checkNumber(op, 'options.inChannels', opts.inChannels, { integer: true, min: 1 }),
      featureStride: checkNumber(op, 'options.featureStride', opts.featureStride, { gt: 0 }),
      pooler: checkOneOf(op, 'options.pooler', opts.pooler ?? 'align', ['align', 'pool'] as const),
      poolSize: checkNumber(op, 'options.poolSize', opts.poolSize ?? 7, { integer: true, min: 1 }),
      samplingRatio: checkNumber(op, 'options.samplingRatio', opts.samplingRatio ?? 2, { integer: true }),
      representationSize: checkNumber(op, 'options.representationSize', opts.representationSize ?? 128, { integer: true, min: 1 }),
      fgIouThreshold: checkNumber(op, 'options.fgIouThreshold', opts.fgIouThreshold ?? 0.5, { min: 0, max: 1 }),
      bgIouThreshold: checkNumber(op, 'options.bgIouThreshold', opts.bgIouThreshold ?? 0.5, { min: 0, max: 1 }),
      batchSizePerImage: opts.batchSizePerImage ?? 64,
      positiveFraction: opts.positiveFraction ?? 0.25,
      boxCoderWeights: opts.boxCoderWeights ?? ([10, 10, 5, 5] as const),
      scoreThreshold: checkNumber(op, 'options.scoreThreshold', opts.scoreThreshold ?? 0.05),
      nmsThreshold: checkNumber(op, 'options.nmsThreshold', opts.nmsThreshold ?? 0.5, { min: 0, max: 1 }),
      detectionsPerImage: checkNumber(op, 'options.detectionsPerImage', opts.detectionsPerImage ?? 100, { integer: true, min: 0 }),
    };
    checkNumber(op, 'options.bgIouThreshold', o.bgIouThreshold, { max: o.fgIouThreshold });
    this.options = o;
    this.numClasses = o.numClasses;
    this.sampler = new BalancedPositiveNegativeSampler({ batchSizePerImage: o.batchSizePerImage, positiveFraction: o.positiveFraction, ...genOpt(opts.generator) });
    const gen = genOpt(opts.generator);
    const d = o.representationSize;
    const boxHead = this.registerModule('box_head', new BoxHead(o.inChannels * o.poolSize * o.poolSize, d, gen));
    this.fc6 = boxHead.fc6;
    this.fc7 = boxHead.fc7;
    const predictor = this.registerModule('box_predictor', new BoxPredictor(d, o.numClasses + 1, gen));
    this.clsScore = predictor.clsScore;
    this.bboxPred = predictor.bboxPred;
    initNormal(this.clsScore, 0.01, opts.generator);
    initNormal(this.bboxPred, 0.001, opts.generator);
  }

  /** Pools `rois [R, 5]` from `features [N, h, w, C]` → `[R, p, p, C]`. */
  pool(features: tf.Tensor, rois: tf.Tensor2D): tf.Tensor4D {
    const o = this.options;
    const scale = 1 / o.featureStride;
    return o.pooler === 'align'
      ? roiAlign(features, rois, { outputSize: o.poolSize, spatialScale: scale, samplingRatio: o.samplingRatio })
      : roiPool(features, rois, { outputSize: o.poolSize, spatialScale: scale });
  }

  /** `features [N, h, w, C]`, `rois [R, 5]` → class logits `[R, K+1]` and box deltas `[R, 4(K+1)]`. */
  forward(features: tf.Tensor, rois: tf.Tensor2D): RoIHeadsOutput {
    return tf.tidy(() => {
      const r = rois.shape[0];
      const pooled = tf.reshape(this.pool(features, rois), [r, -1]); // [R, p·p·C]
      const h = relu(this.fc7.forward(relu(this.fc6.forward(pooled)))); // [R, D]
      return { classLogits: this.clsScore.forward(h) as tf.Tensor2D, boxDeltas: this.bboxPred.forward(h) as tf.Tensor2D };
    });
  }

  /**
   * Training samples (no gradient): adds each image's ground-truth boxes to
   * its proposals, matches them (IoU ≥ `fgIouThreshold` foreground, below
   * `bgIouThreshold` background), samples `batchSizePerImage` per image (at
   * most `positiveFraction` foreground) and encodes the regression targets.
   * @param proposals one `[R_i, 4]` tensor of boxes per image.
   * @param targets one target per image.
   */
  async sampleProposals(proposals: tf.Tensor2D[], targets: DetectorTarget[]): Promise<RoISamples> {
    const o = this.options;
    return sampleRois(proposals, targets, this.sampler, { fgIouThreshold: o.fgIouThreshold, bgIouThreshold: o.bgIouThreshold, weights: o.boxCoderWeights });
  }

  /**
   * `loss_classifier` (cross-entropy over the sampled rois) and
   * `loss_box_reg` (smooth L1, β = 1/9, of the true class's deltas on
   * foreground rois, divided by the number of rois), as torchvision's
   * `fastrcnn_loss`.
   */
  losses(out: RoIHeadsOutput, samples: RoISamples): { loss_classifier: tf.Scalar; loss_box_reg: tf.Scalar } {
    return fastRcnnLoss(out, samples, this.numClasses);
  }

  /**
   * Detections from the box head's outputs on `proposals` (one `[R_i, 4]`
   * tensor per image, concatenated in `out`): softmax scores, per-class
   * decoded boxes clipped to the image, score threshold, boxes under 0.01 px
   * dropped, class-wise NMS, the best `maxDetections`.
   */
  async postprocess(out: RoIHeadsOutput, proposals: tf.Tensor2D[], imageSize: readonly [number, number], opts: Required<DetectOptions>): Promise<Detections[]> {
    return postprocessBoxes(out, proposals, imageSize, this.numClasses, this.options.boxCoderWeights, opts);
  }
}

/** torchvision's `TwoMLPHead`. */
class BoxHead extends Module<[tf.Tensor], tf.Tensor> {
  readonly fc6: Linear;
  readonly fc7: Linear;

  constructor(inFeatures: number, d: number, gen: { generator?: Generator }) {
    super();
    this.fc6 = this.registerModule('fc6', new Linear(inFeatures, d, gen));
    this.fc7 = this.registerModule('fc7', new Linear(d, d, gen));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => relu(this.fc7.forward(relu(this.fc6.forward(x)))));
  }
}

/** torchvision's `FastRCNNPredictor`. */
class BoxPredictor extends Module<[tf.Tensor], tf.Tensor[]> {
  readonly clsScore: Linear;
  readonly bboxPred: Linear;

  constructor(d: number, numClasses: number, gen: { generator?: Generator }) {
    super();
    this.clsScore = this.registerModule('cls_score', new Linear(d, numClasses, gen));
    this.bboxPred = this.registerModule('bbox_pred', new Linear(d, 4 * numClasses, gen));
  }

  forward(x: tf.Tensor): tf.Tensor[] {
    return [this.clsScore.forward(x), this.bboxPred.forward(x)];
  }
}
