import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ReLU, Sequential, checkNumber, relu, type Generator } from '@fovea/core';
import { Conv2d, Linear, MaxPool2d } from '@fovea/layers';
import type { BoxCoderWeights } from '../coder/box-coder.js';
import { roiAlign } from '../roi/roi-align.js';
import { BalancedPositiveNegativeSampler } from '../sampler/balanced-positive-negative-sampler.js';
import { slidingWindowProposer, selectiveSearchProposer, type Proposer } from './proposers.js';
import { disposeRoiSamples, fastRcnnLoss, postprocessBoxes, sampleRois, toRois, type RoIHeadsOutput, type RoISamples } from './_internal/box-branch.js';
import { checkImages, checkTargetValues, checkTargets, resolveDetect, type ResolvedDetect } from './_internal/checks.js';
import { genOpt, initNormal } from './_internal/init.js';
import type { DetectOptions, DetectorTarget, Detections, PreparedBatch } from './types.js';

/** Options for {@link RCNN} and {@link SlidingWindowDetector}. @category Detectors */
export interface RCNNOptions {
  /** Number of object classes `K` (labels `1..K`; 0 is the background). */
  numClasses: number;
  /** Where the proposals come from; default {@link selectiveSearchProposer} (R-CNN's). */
  proposer?: Proposer;
  /** Side of the warped crops fed to the CNN; default 32 (R-CNN warped to 227 for AlexNet). */
  cropSize?: number;
  /** Channels of the CNN's 3×3 convolutions, each followed by ReLU and 2×2 max pooling; default `[16, 32, 64]`. */
  widths?: number[];
  /** Width of the fully connected layer; default 128. */
  hidden?: number;
  /** Context around each proposal, as a fraction of its size added on every side before warping (R-CNN's 16 px of 227); default 0.1. */
  contextPadding?: number;
  /** IoU at or above which a proposal is foreground; default 0.5. */
  fgIouThreshold?: number;
  /** IoU below which a proposal is background; default 0.5. */
  bgIouThreshold?: number;
  /** Proposals sampled per image for the losses; default 32. */
  batchSizePerImage?: number;
  /** Largest share of foreground among them; default 0.25. */
  positiveFraction?: number;
  /** Box-coder weights; default `[10, 10, 5, 5]`. */
  boxCoderWeights?: BoxCoderWeights;
  /** Default score threshold of detections; default 0.05. */
  scoreThreshold?: number;
  /** Default class-wise NMS IoU threshold; default 0.3 (R-CNN's). */
  nmsThreshold?: number;
  /** Default maximum detections per image; default 100. */
  detectionsPerImage?: number;
  /** Crops per forward pass when detecting (bounds memory); default 512. */
  chunkSize?: number;
  /** Random source of the initial weights and of the sampling; default core's default generator. */
  generator?: Generator;
}

/** {@link RCNN}'s prepared training batch. @category Detectors */
export interface RCNNPrepared extends PreparedBatch {
  /** The sampled proposals and their targets. */
  samples: RoISamples;
}

/**
 * R-CNN (Girshick et al., CVPR 2014), the "slow" detector: region proposals
 * (selective search by default), each proposal — with some context — warped
 * to a fixed-size crop of the image ({@link roiAlign} with aligned sampling,
 * so a crop is a bilinear resampling), a small CNN per crop (`features`: 3×3
 * convolutions, ReLU, 2×2 max pooling; `fc6`), and two outputs per crop:
 * `K + 1` class logits and class-specific box deltas (R-CNN's bounding-box
 * regression). Training samples proposals as Fast R-CNN does (IoU ≥ 0.5
 * foreground) and minimises cross-entropy plus smooth L1; the CNN runs once
 * per proposal, which is what Fast R-CNN removes.
 *
 * @example
 * ```ts
 * import { RCNN, lossAndGradients, shapesScenes, shapesToTargets } from '@fovea/detection';
 * const model = new RCNN({ numClasses: 3 });
 * const batch = shapesToTargets(shapesScenes(2));
 * const { losses } = await lossAndGradients(model, batch.images, batch.targets); // { loss_classifier, loss_box_reg }
 * const [d] = await model.detect(batch.images); // boxes, scores, labels
 * ```
 * @category Detectors
 */
export class RCNN extends Module<[tf.Tensor], RoIHeadsOutput> {
  /** Number of object classes `K`. */
  readonly numClasses: number;
  /** Side of the warped crops. */
  readonly cropSize: number;
  /** Where the proposals come from. */
  readonly proposer: Proposer;
  private readonly features: Sequential;
  private readonly fc6: Linear;
  private readonly clsScore: Linear;
  private readonly bboxPred: Linear;
  private readonly sampler: BalancedPositiveNegativeSampler;
  private readonly o: { context: number; fg: number; bg: number; weights: BoxCoderWeights; chunk: number; inChannels: number };
  private readonly detectDefaults: ResolvedDetect;

  /** @param opts classes, proposer, crop size, CNN, matching, sampling, inference defaults, generator. */
  constructor(opts: RCNNOptions) {
    super();
    try {
      const op = this.constructor.name;
      if (opts === null || typeof opts !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an options object with numClasses', got: String(opts) });
      this.numClasses = checkNumber(op, 'options.numClasses', opts.numClasses, { integer: true, min: 1 });
      this.proposer = opts.proposer ?? selectiveSearchProposer();
      if (typeof this.proposer !== 'function') throw new FoveaError({ op, arg: 'options.proposer', expected: 'a function images => Promise<boxes per image>', got: typeof opts.proposer });
      this.cropSize = checkNumber(op, 'options.cropSize', opts.cropSize ?? 32, { integer: true, min: 1 });
      const widths = opts.widths ?? [16, 32, 64];
      widths.forEach((w, i) => checkNumber(op, `options.widths[${i}]`, w, { integer: true, min: 1 }));
      const hidden = checkNumber(op, 'options.hidden', opts.hidden ?? 128, { integer: true, min: 1 });
      const gen = genOpt(opts.generator);
      this.features = this.registerModule('features', new Sequential());
      let c = 3, s = this.cropSize;
      for (const w of widths) {
        this.features.append(new Conv2d(c, w, 3, { padding: 1, ...gen }));
        this.features.append(new ReLU());
        this.features.append(new MaxPool2d(2));
        [c, s] = [w, Math.floor(s / 2)];
      }
      if (s < 1) throw new FoveaError({ op, arg: 'options.cropSize', expected: `at least ${2 ** widths.length} for ${widths.length} pooling stages`, got: String(this.cropSize) });
      this.fc6 = this.registerModule('fc6', new Linear(c * s * s, hidden, gen));
      this.clsScore = this.registerModule('cls_score', new Linear(hidden, this.numClasses + 1, gen));
      this.bboxPred = this.registerModule('bbox_pred', new Linear(hidden, 4 * (this.numClasses + 1), gen));
      initNormal(this.clsScore, 0.01, opts.generator);
      initNormal(this.bboxPred, 0.001, opts.generator);
      this.sampler = new BalancedPositiveNegativeSampler({ batchSizePerImage: opts.batchSizePerImage ?? 32, positiveFraction: opts.positiveFraction ?? 0.25, ...gen });
      this.o = {
        context: checkNumber(op, 'options.contextPadding', opts.contextPadding ?? 0.1, { min: 0 }),
        fg: checkNumber(op, 'options.fgIouThreshold', opts.fgIouThreshold ?? 0.5, { min: 0, max: 1 }),
        bg: checkNumber(op, 'options.bgIouThreshold', opts.bgIouThreshold ?? 0.5, { min: 0, max: 1 }),
        weights: opts.boxCoderWeights ?? [10, 10, 5, 5],
        chunk: checkNumber(op, 'options.chunkSize', opts.chunkSize ?? 512, { integer: true, min: 1 }),
        inChannels: 3,
      };
      this.detectDefaults = resolveDetect(
        op,
        { scoreThreshold: opts.scoreThreshold, nmsThreshold: opts.nmsThreshold, maxDetections: opts.detectionsPerImage },
        { scoreThreshold: 0.05, nmsThreshold: 0.3, maxDetections: 100 },
      );
    } catch (e) {
      this.dispose(); // release what was built before the bad option
      throw e;
    }
  }

  /**
   * Warps each roi (grown by `contextPadding` on every side) to a
   * `cropSize × cropSize` crop of its image.
   * @param images `[N, H, W, 3]`.
   * @param rois `[R, 5]` rows `(batch index, x1, y1, x2, y2)`.
   * @returns `[R, cropSize, cropSize, 3]`.
   */
  crops(images: tf.Tensor, rois: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, x1, y1, x2, y2] = tf.split(rois, 5, 1); // [R, 1] each
      const px = tf.mul(tf.sub(x2!, x1!), this.o.context), py = tf.mul(tf.sub(y2!, y1!), this.o.context);
      const grown = tf.concat([b!, tf.sub(x1!, px), tf.sub(y1!, py), tf.add(x2!, px), tf.add(y2!, py)], 1) as tf.Tensor2D; // [R, 5]
      return roiAlign(images, grown, { outputSize: this.cropSize, samplingRatio: -1, aligned: true });
    });
  }

  /** `crops [R, S, S, 3]` → class logits `[R, K+1]` and box deltas `[R, 4(K+1)]`. */
  forward(crops: tf.Tensor): RoIHeadsOutput {
    return tf.tidy(() => {
      const r = crops.shape[0]!;
      const h = relu(this.fc6.forward(tf.reshape(this.features.forward(crops), [r, -1]))); // [R, hidden]
      return { classLogits: this.clsScore.forward(h) as tf.Tensor2D, boxDeltas: this.bboxPred.forward(h) as tf.Tensor2D };
    });
  }

  /** Proposes, matches and samples the proposals of each image. */
  async prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<RCNNPrepared> {
    const op = `${this.constructor.name}.prepareTraining`;
    const [n, h, w] = checkImages(op, images, this.o.inChannels);
    checkTargets(op, targets, n, [h, w]);
    await checkTargetValues(op, targets, this.numClasses);
    const proposals = await this.proposer(images);
    try {
      const samples = await sampleRois(proposals, targets, this.sampler, { fgIouThreshold: this.o.fg, bgIouThreshold: this.o.bg, weights: this.o.weights });
      return { samples, dispose: () => disposeRoiSamples(samples) };
    } finally {
      tf.dispose(proposals);
    }
  }

  /** `loss_classifier` and `loss_box_reg` on the sampled crops. */
  trainingLosses(images: tf.Tensor4D, prepared: RCNNPrepared): Record<string, tf.Scalar> {
    return tf.tidy(() => fastRcnnLoss(this.forward(this.crops(images, prepared.samples.rois)), prepared.samples, this.numClasses));
  }

  /**
   * Detects objects (in evaluation mode for the call): proposals, one CNN
   * pass per warped crop (in chunks of `chunkSize`), then softmax, per-class
   * box regression, score threshold and class-wise NMS.
   * @param images `[N, H, W, 3]` float32 images.
   * @param opts score threshold, NMS threshold, maximum detections.
   * @returns one {@link Detections} per image.
   */
  async detect(images: tf.Tensor4D, opts: DetectOptions = {}): Promise<Detections[]> {
    const op = `${this.constructor.name}.detect`;
    const [, h, w] = checkImages(op, images, this.o.inChannels);
    const o = resolveDetect(op, opts, this.detectDefaults);
    const proposals = await this.proposer(images);
    const wasTraining = this.training;
    this.eval();
    try {
      const out = tf.tidy(() => {
        const rois = toRois(proposals);
        const parts: RoIHeadsOutput[] = [];
        for (let s = 0; s < rois.shape[0]; s += this.o.chunk) {
          const chunk = tf.slice(rois, [s, 0], [Math.min(this.o.chunk, rois.shape[0] - s), 5]) as tf.Tensor2D;
          parts.push(this.forward(this.crops(images, chunk)));
        }
        const k1 = this.numClasses + 1;
        return {
          classLogits: (parts.length ? tf.concat(parts.map((p) => p.classLogits)) : tf.zeros([0, k1])) as tf.Tensor2D,
          boxDeltas: (parts.length ? tf.concat(parts.map((p) => p.boxDeltas)) : tf.zeros([0, 4 * k1])) as tf.Tensor2D,
        };
      });
      try {
        return await postprocessBoxes(out, proposals, [h, w], this.numClasses, this.o.weights, o);
      } finally {
        tf.dispose([out.classLogits, out.boxDeltas]);
      }
    } finally {
      tf.dispose(proposals);
      this.train(wasTraining);
    }
  }
}

/** Options for {@link SlidingWindowDetector}: R-CNN's, with the windows instead of a proposer. @category Detectors */
export interface SlidingWindowDetectorOptions extends Omit<RCNNOptions, 'proposer'> {
  /** Window sizes `[h, w]`; default `[[12, 12], [20, 20], [28, 28], [16, 28], [28, 16]]` (objects of 64–128 px scenes). */
  windowSizes?: [number, number][];
  /** Step between windows as a fraction of their size; default 0.25. */
  strideFraction?: number;
}

/**
 * The sliding-window detector, the brute-force baseline before region
 * proposals: every window of several sizes, a quarter of its size apart, is
 * warped to a crop and classified by a small CNN (object class or
 * background), with box regression to refine the hit; class-wise NMS removes
 * the duplicates. The same network and training as {@link RCNN}, with
 * {@link slidingWindowProposer} in place of selective search.
 *
 * @example
 * ```ts
 * import { SlidingWindowDetector } from '@fovea/detection';
 * const model = new SlidingWindowDetector({ numClasses: 3, windowSizes: [[16, 16], [24, 24]] });
 * const [d] = await model.detect(images);
 * ```
 * @category Detectors
 */
export class SlidingWindowDetector extends RCNN {
  /** @param opts R-CNN's options, window sizes and stride. */
  constructor(opts: SlidingWindowDetectorOptions) {
    const windowSizes = opts?.windowSizes ?? [[12, 12], [20, 20], [28, 28], [16, 28], [28, 16]];
    super({ ...opts, proposer: slidingWindowProposer({ windowSizes, strideFraction: opts?.strideFraction ?? 0.25 }) });
  }
}
