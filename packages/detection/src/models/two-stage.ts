import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, type Generator } from '@fovea/core';
import { ConvBackbone, type ConvBackboneOptions } from './backbone.js';
import { FeaturePyramid } from './feature-pyramid.js';
import { RoIHeads, toRois, type RoIHeadsOptions, type RoIHeadsOutput, type RoISamples } from './roi-heads.js';
import { checkImages, resolveDetect, type ResolvedDetect } from './_internal/checks.js';
import { genOpt } from './_internal/init.js';
import type { DetectOptions, DetectorTarget, Detections, PreparedBatch } from './types.js';

/** Options shared by the two-stage detectors ({@link FastRCNN}, {@link FasterRCNN}, {@link MaskRCNN}). @category Detectors */
export interface TwoStageOptions {
  /** Number of object classes `K` (labels `1..K`; 0 is the background). */
  numClasses: number;
  /** The backbone (see {@link ConvBackboneOptions}); default widths `[16, 32, 64, 128]`, plain blocks, stem stride 2. */
  backbone?: Omit<ConvBackboneOptions, 'generator'>;
  /** Index of the backbone map the detector works on (the finest input of its feature pyramid); default 1 (stride 4 with the default backbone). */
  featureLevel?: number;
  /** Channels of the feature pyramid's output; default 64. */
  fpnChannels?: number;
  /** The box head (see {@link RoIHeadsOptions}). */
  roiHeads?: Omit<RoIHeadsOptions, 'numClasses' | 'inChannels' | 'featureStride' | 'generator'>;
  /** Random source of the initial weights and of every sampling step; default core's default generator. */
  generator?: Generator;
}

/**
 * What the two-stage detectors share: a {@link ConvBackbone}, a
 * {@link FeaturePyramid} merged down to one feature map (stride 4 by
 * default), and the {@link RoIHeads} box branch. Subclasses say where the
 * proposals come from.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FasterRCNN } from '@fovea/detection';
 * const model = new FasterRCNN({ numClasses: 3 });   // a TwoStageDetector
 * model.features(tf.zeros([1, 64, 64, 3])).shape;     // [1, 16, 16, 64]
 * model.featureStride;                                 // 4
 * ```
 * @category Detectors
 */
export abstract class TwoStageDetector<Out, P extends PreparedBatch> extends Module<[tf.Tensor], Out> {
  /** Number of object classes `K`. */
  readonly numClasses: number;
  /** Stride of the feature map the heads see. */
  readonly featureStride: number;
  /** The backbone. */
  readonly backbone: ConvBackbone;
  /** The feature pyramid (one output level). */
  readonly fpn: FeaturePyramid;
  /** The box branch. */
  readonly roiHeads: RoIHeads;
  protected readonly level: number;
  private readonly detectDefaults: ResolvedDetect;

  protected constructor(op: string, opts: TwoStageOptions) {
    super();
    try {
      if (opts === null || typeof opts !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an options object with numClasses', got: String(opts) });
      this.numClasses = checkNumber(op, 'options.numClasses', opts.numClasses, { integer: true, min: 1 });
      const gen = genOpt(opts.generator);
      this.backbone = this.registerModule('backbone', new ConvBackbone({ stemStride: 2, ...opts.backbone, ...gen }));
      this.level = checkNumber(op, 'options.featureLevel', opts.featureLevel ?? 1, { integer: true, min: 0, max: this.backbone.channels.length - 1 });
      const d = checkNumber(op, 'options.fpnChannels', opts.fpnChannels ?? 64, { integer: true, min: 1 });
      this.fpn = this.registerModule('fpn', new FeaturePyramid(this.backbone.channels.slice(this.level), d, { outputs: 1, ...gen }));
      this.featureStride = this.backbone.strides[this.level]!;
      this.roiHeads = this.registerModule('roi_heads', new RoIHeads({ ...opts.roiHeads, numClasses: this.numClasses, inChannels: d, featureStride: this.featureStride, ...gen }));
      const o = this.roiHeads.options;
      this.detectDefaults = { scoreThreshold: o.scoreThreshold, nmsThreshold: o.nmsThreshold, maxDetections: o.detectionsPerImage };
    } catch (e) {
      this.dispose(); // release what was built before the bad option
      throw e;
    }
  }

  /** `images [N, H, W, 3]` → the heads' feature map `[N, H/s, W/s, fpnChannels]`. */
  features(images: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.fpn.forward(this.backbone.forward(images).slice(this.level))[0]!);
  }

  /** Asynchronous training preparation; see {@link TrainableDetector.prepareTraining}. */
  abstract prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<P>;
  /** The named differentiable losses; see {@link TrainableDetector.trainingLosses}. */
  abstract trainingLosses(images: tf.Tensor4D, prepared: P): Record<string, tf.Scalar>;
  /** Proposals for inference, one `[R_i, 4]` tensor per image (the caller disposes them). */
  protected abstract inferenceProposals(images: tf.Tensor4D, features: tf.Tensor4D): Promise<tf.Tensor2D[]>;

  /** The box-branch losses on the sampled rois (a subclass may add its own, e.g. masks). */
  protected secondStageLosses(features: tf.Tensor4D, samples: RoISamples, _prepared: P): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const out: RoIHeadsOutput = this.roiHeads.forward(features, samples.rois);
      return this.roiHeads.losses(out, samples);
    });
  }

  /** Adds per-detection outputs (e.g. masks) to the boxes found; the default adds nothing. */
  protected async finishDetections(_features: tf.Tensor4D, detections: Detections[], _imageSize: readonly [number, number]): Promise<Detections[]> {
    return detections;
  }

  /**
   * Detects objects in a batch of images (in evaluation mode: the model's
   * mode is switched for the call and restored): proposals, the box head,
   * class-wise NMS, and whatever the subclass adds (masks).
   *
   * @param images `[N, H, W, 3]` float32 images (as trained, e.g. RGB in [0, 1]).
   * @param opts score threshold, NMS threshold, maximum detections.
   * @returns one {@link Detections} per image (the caller disposes them, e.g. with {@link disposeDetections}).
   */
  async detect(images: tf.Tensor4D, opts: DetectOptions = {}): Promise<Detections[]> {
    const op = `${this.constructor.name}.detect`;
    const [, h, w] = checkImages(op, images, this.backbone.inChannels);
    const o = resolveDetect(op, opts, this.detectDefaults);
    const wasTraining = this.training;
    this.eval();
    const features = this.features(images);
    let proposals: tf.Tensor2D[] = [];
    try {
      proposals = await this.inferenceProposals(images, features);
      const rois = toRois(proposals);
      const out = this.roiHeads.forward(features, rois);
      rois.dispose();
      const dets = await this.roiHeads.postprocess(out, proposals, [h, w], o).finally(() => tf.dispose([out.classLogits, out.boxDeltas]));
      return await this.finishDetections(features, dets, [h, w]);
    } finally {
      tf.dispose([features, ...proposals]);
      this.train(wasTraining);
    }
  }
}
