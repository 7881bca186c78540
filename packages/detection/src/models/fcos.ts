import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, Sequential, ReLU, bceWithLogits, checkNumber, sigmoid, type Generator } from '@fovea/core';
import { Conv2d, GroupNorm } from '@fovea/layers';
import { clipBoxesToImage } from '../boxes/clip-boxes-to-image.js';
import { generalizedBoxIouLoss } from '../iou/box-iou-loss.js';
import { sigmoidFocalLoss } from '../losses/sigmoid-focal-loss.js';
import { batchedNms } from '../nms/batched-nms.js';
import { ConvBackbone, type ConvBackboneOptions } from './backbone.js';
import { FeaturePyramid } from './feature-pyramid.js';
import { assignFcosTargets, locationCenters, type FcosTargets, type LevelGrid } from './_internal/fcos-targets.js';

export type { FcosTargets } from './_internal/fcos-targets.js';
import { checkImages, checkTargetValues, checkTargets, resolveDetect, type ResolvedDetect } from './_internal/checks.js';
import { genOpt, initNormal } from './_internal/init.js';
import type { DetectOptions, DetectorTarget, Detections, PreparedBatch } from './types.js';

/** Options for {@link FCOS}. @category Detectors */
export interface FCOSOptions {
  /** Number of object classes `K` (labels `1..K`). */
  numClasses: number;
  /** The backbone (see {@link ConvBackboneOptions}); default widths `[16, 32, 64, 128]`, plain blocks, stem stride 2. */
  backbone?: Omit<ConvBackboneOptions, 'generator'>;
  /** Backbone maps used as pyramid levels, finest first; default `[1]` (one level at stride 4, enough for objects up to ~60 px). */
  levels?: number[];
  /** Channels of the feature pyramid and the head; default 64. */
  fpnChannels?: number;
  /** 3×3 convolutions (+ GroupNorm + ReLU) in each head tower; default 2 (torchvision 4). */
  headConvs?: number;
  /** GroupNorm (16 groups) in the towers, as torchvision; default `true`. */
  groupNorm?: boolean;
  /** Centre sampling: a location may only predict an object whose centre is within this many strides; default 1.5. */
  centerSamplingRadius?: number;
  /** Focal-loss α; default 0.25. */
  focalAlpha?: number;
  /** Focal-loss γ; default 2. */
  focalGamma?: number;
  /** Default score threshold of detections; default 0.2 (torchvision's). */
  scoreThreshold?: number;
  /** Default class-wise NMS IoU threshold; default 0.6. */
  nmsThreshold?: number;
  /** Default maximum detections per image; default 100. */
  detectionsPerImage?: number;
  /** Candidates per level kept before NMS (the best-scoring); default 1000. */
  topkCandidates?: number;
  /** Random source of the initial weights; default core's default generator. */
  generator?: Generator;
}

/** Raw per-location outputs of {@link FCOS}, levels concatenated (`L` locations in all). @category Detectors */
export interface FCOSOutput {
  /** `[N, L, K]` class logits. */
  classLogits: tf.Tensor3D;
  /** `[N, L, 4]` distances `(l, t, r, b)` from each location to the box sides, in units of the level's stride (`exp` of the regression output). */
  boxRegression: tf.Tensor3D;
  /** `[N, L]` centerness logits. */
  centerness: tf.Tensor2D;
}

/** {@link FCOS}'s prepared training batch. @category Detectors */
export interface FCOSPrepared extends PreparedBatch {
  /** Per-location targets. */
  targets: FcosTargets;
}

/** Upper clamp of the log-distances, `log(1000 / 16)` as the box coder's (keeps `exp` finite early in training). */
const MAX_LOG_DISTANCE = Math.log(1000 / 16);

/** One head tower: `n` × (3×3 conv, GroupNorm, ReLU). */
function tower(c: number, n: number, gn: boolean, gen: { generator?: Generator }): Sequential {
  const s = new Sequential();
  for (let i = 0; i < n; i++) {
    s.append(new Conv2d(c, c, 3, { padding: 1, ...gen }));
    if (gn) s.append(new GroupNorm(Math.min(16, c), c));
    s.append(new ReLU());
  }
  return s;
}

/**
 * FCOS (Tian et al., ICCV 2019), a single-stage anchor-free detector, built
 * like torchvision's `FCOS`: a {@link ConvBackbone} and
 * {@link FeaturePyramid}, then a head shared across levels whose
 * classification tower gives per-location class logits (`K` sigmoid outputs,
 * bias initialised to a 1 % prior) and whose regression tower gives the
 * distances `(l, t, r, b)` from the location to the object's sides (in
 * strides, `exp` of the output as in the FCOS paper — torchvision's ReLU
 * can leave every box empty at the start, where the GIoU loss has no
 * gradient) and a centerness logit. A location is positive for the
 * smallest object it lies in, within 1.5 strides of the object's centre and
 * in its level's size range. Losses: sigmoid focal loss on the classes,
 * generalised-IoU loss on the decoded boxes, binary cross-entropy on the
 * centerness, each summed over positives and divided by their number.
 * `detect` scores locations by `sqrt(σ(class) · σ(centerness))`, keeps the
 * best candidates above the threshold, and runs class-wise NMS.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FCOS, lossAndGradients, shapesScenes, shapesToTargets } from '@fovea/detection';
 * const model = new FCOS({ numClasses: 3 });
 * const batch = shapesToTargets(shapesScenes(4));
 * const { losses, grads } = await lossAndGradients(model, batch.images, batch.targets);
 * // losses: { loss_classifier, loss_box_giou, loss_centerness }
 * const [d] = await model.detect(batch.images);
 * d.scores.shape; // [D]
 * ```
 * @category Detectors
 */
export class FCOS extends Module<[tf.Tensor], FCOSOutput> {
  /** Number of object classes `K`. */
  readonly numClasses: number;
  /** The backbone. */
  readonly backbone: ConvBackbone;
  /** The feature pyramid. */
  readonly fpn: FeaturePyramid;
  /** Stride of each level. */
  readonly strides: number[];
  private readonly levels: number[];
  private readonly clsTower: Sequential;
  private readonly bboxTower: Sequential;
  private readonly clsLogits: Conv2d;
  private readonly bboxReg: Conv2d;
  private readonly bboxCtrness: Conv2d;
  private readonly radius: number;
  private readonly focal: { alpha: number; gamma: number };
  private readonly topk: number;
  private readonly detectDefaults: ResolvedDetect;

  /** @param opts classes, backbone, levels, head, loss and inference settings, generator. */
  constructor(opts: FCOSOptions) {
    super();
    try {
      const op = 'FCOS';
      if (opts === null || typeof opts !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an options object with numClasses', got: String(opts) });
      this.numClasses = checkNumber(op, 'options.numClasses', opts.numClasses, { integer: true, min: 1 });
      const gen = genOpt(opts.generator);
      this.backbone = this.registerModule('backbone', new ConvBackbone({ stemStride: 2, ...opts.backbone, ...gen }));
      const nb = this.backbone.channels.length;
      this.levels = opts.levels ?? [1];
      if (!Array.isArray(this.levels) || this.levels.length === 0) throw new FoveaError({ op, arg: 'options.levels', expected: 'a non-empty list of backbone map indices', got: JSON.stringify(opts.levels) });
      this.levels.forEach((l, i) => checkNumber(op, `options.levels[${i}]`, l, { integer: true, min: i === 0 ? 0 : this.levels[i - 1]! + 1, max: nb - 1 }));
      const d = checkNumber(op, 'options.fpnChannels', opts.fpnChannels ?? 64, { integer: true, min: 1 });
      this.fpn = this.registerModule('fpn', new FeaturePyramid(this.backbone.channels.slice(this.levels[0]), d, { outputs: this.levels[this.levels.length - 1]! - this.levels[0]! + 1, ...gen }));
      this.strides = this.levels.map((l) => this.backbone.strides[l]!);
      const n = checkNumber(op, 'options.headConvs', opts.headConvs ?? 2, { integer: true, min: 0 });
      const gn = opts.groupNorm ?? true;
      const head = this.registerModule('head', new FCOSHead());
      this.clsTower = head.add('cls_tower', tower(d, n, gn, gen));
      this.bboxTower = head.add('bbox_tower', tower(d, n, gn, gen));
      this.clsLogits = head.add('cls_logits', new Conv2d(d, this.numClasses, 3, { padding: 1, ...gen }));
      this.bboxReg = head.add('bbox_reg', new Conv2d(d, 4, 3, { padding: 1, ...gen }));
      this.bboxCtrness = head.add('bbox_ctrness', new Conv2d(d, 1, 3, { padding: 1, ...gen }));
      for (const m of head.modules()) if (m instanceof Conv2d) initNormal(m, 0.01, opts.generator);
      initNormal(this.clsLogits, 0.01, opts.generator, -Math.log((1 - 0.01) / 0.01));
      this.radius = checkNumber(op, 'options.centerSamplingRadius', opts.centerSamplingRadius ?? 1.5, { gt: 0 });
      this.focal = { alpha: checkNumber(op, 'options.focalAlpha', opts.focalAlpha ?? 0.25, { max: 1 }), gamma: checkNumber(op, 'options.focalGamma', opts.focalGamma ?? 2, { min: 0 }) };
      this.topk = checkNumber(op, 'options.topkCandidates', opts.topkCandidates ?? 1000, { integer: true, min: 1 });
      this.detectDefaults = resolveDetect(
        op,
        { scoreThreshold: opts.scoreThreshold, nmsThreshold: opts.nmsThreshold, maxDetections: opts.detectionsPerImage },
        { scoreThreshold: 0.2, nmsThreshold: 0.6, maxDetections: 100 },
      );
    } catch (e) {
      this.dispose(); // release what was built before the bad option
      throw e;
    }
  }

  /** The pyramid maps of the levels, finest first. */
  private pyramid(images: tf.Tensor): tf.Tensor4D[] {
    const maps = this.fpn.forward(this.backbone.forward(images).slice(this.levels[0]));
    return this.levels.map((l) => maps[l - this.levels[0]!]!);
  }

  /** `images [N, H, W, 3]` → per-location class logits, box distances and centerness, levels concatenated. */
  forward(images: tf.Tensor): FCOSOutput {
    checkImages('FCOS.forward', images, this.backbone.inChannels);
    return tf.tidy(() => {
      const n = images.shape[0]!;
      const cls: tf.Tensor[] = [], reg: tf.Tensor[] = [], ctr: tf.Tensor[] = [];
      for (const p of this.pyramid(images)) {
        const [, h, w] = p.shape;
        const c = this.clsTower.forward(p); // [N, h, w, D]
        const b = this.bboxTower.forward(p); // [N, h, w, D]
        cls.push(tf.reshape(this.clsLogits.forward(c), [n, h * w, this.numClasses])); // [N, h·w, K]
        reg.push(tf.reshape(tf.exp(tf.minimum(this.bboxReg.forward(b), MAX_LOG_DISTANCE)), [n, h * w, 4])); // [N, h·w, 4]
        ctr.push(tf.reshape(this.bboxCtrness.forward(b), [n, h * w])); // [N, h·w]
      }
      return { classLogits: tf.concat(cls, 1) as tf.Tensor3D, boxRegression: tf.concat(reg, 1) as tf.Tensor3D, centerness: tf.concat(ctr, 1) as tf.Tensor2D };
    });
  }

  /** The level grids for an `H × W` image (each level `ceil(H / s) × ceil(W / s)`). */
  private grids(h: number, w: number): LevelGrid[] {
    return this.strides.map((s) => ({ h: Math.ceil(h / s), w: Math.ceil(w / s), stride: s }));
  }

  /** Per-location boxes `[N, L, 4]` from distances in strides. */
  private decode(reg: tf.Tensor3D, h: number, w: number): tf.Tensor3D {
    return tf.tidy(() => {
      const { cx, cy, stride } = locationCenters(this.grids(h, w));
      const L = cx.length;
      const c = tf.reshape(tf.stack([tf.tensor1d(cx), tf.tensor1d(cy), tf.tensor1d(cx), tf.tensor1d(cy)], 1), [1, L, 4]); // [1, L, 4]
      const sign = tf.tensor1d([-1, -1, 1, 1]);
      return tf.add(c, tf.mul(tf.mul(reg, tf.reshape(tf.tensor1d(stride), [1, L, 1])), sign)) as tf.Tensor3D; // [N, L, 4]
    });
  }

  /** Assigns locations to objects (reads the targets back). */
  async prepareTraining(images: tf.Tensor4D, targets: DetectorTarget[]): Promise<FCOSPrepared> {
    const op = 'FCOS.prepareTraining';
    const [n, h, w] = checkImages(op, images, this.backbone.inChannels);
    checkTargets(op, targets, n, [h, w]);
    await checkTargetValues(op, targets, this.numClasses);
    const t = await assignFcosTargets(this.grids(h, w), targets, this.numClasses, this.radius);
    return { targets: t, dispose: () => tf.dispose([t.classes, t.boxes, t.foreground, t.centerness]) };
  }

  /** `loss_classifier` (focal), `loss_box_giou` (GIoU), `loss_centerness` (BCE), each over the positives. */
  trainingLosses(images: tf.Tensor4D, prepared: FCOSPrepared): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const t = prepared.targets;
      const denom = Math.max(t.numForeground, 1);
      const out = this.forward(images);
      const cls = tf.reshape(out.classLogits, [-1, this.numClasses]); // [N·L, K]
      const lossCls = tf.div(sigmoidFocalLoss(cls, t.classes, { ...this.focal, reduction: 'sum' }), denom) as tf.Scalar;
      const boxes = tf.reshape(this.decode(out.boxRegression, images.shape[1], images.shape[2]), [-1, 4]); // [N·L, 4]
      // background rows compare the target box with itself (loss 0), then are masked out
      const fg = tf.expandDims(t.foreground, 1);
      const pred = tf.add(tf.mul(boxes, fg), tf.mul(t.boxes, tf.sub(1, fg)));
      const giou = generalizedBoxIouLoss(pred, t.boxes, { reduction: 'none' }); // [N·L]
      const lossBox = tf.div(tf.sum(tf.mul(giou, t.foreground)), denom) as tf.Scalar;
      const bce = bceWithLogits(tf.reshape(out.centerness, [-1]), t.centerness, { reduction: 'none' }); // [N·L]
      const lossCtr = tf.div(tf.sum(tf.mul(bce, t.foreground)), denom) as tf.Scalar;
      return { loss_classifier: lossCls, loss_box_giou: lossBox, loss_centerness: lossCtr };
    });
  }

  /**
   * Detects objects (in evaluation mode for the call): per location and class
   * `score = sqrt(σ(class) · σ(centerness))`; candidates above the score
   * threshold (the `topkCandidates` best per level), decoded and clipped,
   * class-wise NMS, the best `maxDetections`.
   * @param images `[N, H, W, 3]` float32 images.
   * @param opts score threshold, NMS threshold, maximum detections.
   * @returns one {@link Detections} per image.
   */
  async detect(images: tf.Tensor4D, opts: DetectOptions = {}): Promise<Detections[]> {
    const op = 'FCOS.detect';
    const [n, h, w] = checkImages(op, images, this.backbone.inChannels);
    const o = resolveDetect(op, opts, this.detectDefaults);
    const wasTraining = this.training;
    const k = this.numClasses;
    this.eval();
    let boxes: tf.Tensor3D, scores: tf.Tensor3D;
    try {
      [boxes, scores] = tf.tidy(() => {
        const out = this.forward(images);
        const s = tf.sqrt(tf.mul(sigmoid(out.classLogits), tf.expandDims(sigmoid(out.centerness), 2))); // [N, L, K]
        return [clipBoxesToImage(this.decode(out.boxRegression, h, w), [h, w]), s] as [tf.Tensor3D, tf.Tensor3D];
      });
    } finally {
      this.train(wasTraining);
    }
    try {
      const L = boxes.shape[1];
      const grids = this.grids(h, w);
      const dets: Detections[] = [];
      for (let i = 0; i < n; i++) {
        const [bi, si, li] = tf.tidy(() => this.candidates(boxes, scores, i, grids, L, k));
        const keep = await batchedNms(bi!, si!, li!, o.nmsThreshold, { scoreThreshold: o.scoreThreshold, topK: o.maxDetections });
        dets.push({ boxes: tf.gather(bi!, keep) as tf.Tensor2D, scores: tf.gather(si!, keep) as tf.Tensor1D, labels: tf.gather(li!, keep) as tf.Tensor1D });
        tf.dispose([bi!, si!, li!, keep]);
      }
      return dets;
    } finally {
      tf.dispose([boxes, scores]);
    }
  }

  /** Image `i`'s candidates: per level the `topk` best (location, class) pairs. */
  private candidates(boxes: tf.Tensor3D, scores: tf.Tensor3D, i: number, grids: LevelGrid[], L: number, k: number): tf.Tensor[] {
    const b = tf.reshape(tf.slice(boxes, [i, 0, 0], [1, L, 4]), [L, 4]);
    const s = tf.reshape(tf.slice(scores, [i, 0, 0], [1, L, k]), [L * k]); // [L·K], location-major
    const parts: [tf.Tensor, tf.Tensor, tf.Tensor][] = [];
    let start = 0;
    for (const g of grids) {
      const n = g.h * g.w * k;
      const sl = tf.slice(s, [start], [n]);
      const top = tf.topk(sl, Math.min(this.topk, n));
      const idx = tf.add(top.indices, tf.scalar(start, 'int32')); // [T] into [L·K]
      const kk = tf.scalar(k, 'int32');
      const loc = tf.floorDiv(idx, kk);
      parts.push([tf.gather(b, loc), top.values, tf.add(tf.mod(idx, kk), tf.scalar(1, 'int32'))]);
      start += n;
    }
    return [tf.concat(parts.map((p) => p[0])), tf.concat(parts.map((p) => p[1])), tf.cast(tf.concat(parts.map((p) => p[2])), 'int32')];
  }
}

/** The head's container (`head.cls_tower`, `head.bbox_tower`, `head.cls_logits`, `head.bbox_reg`, `head.bbox_ctrness`). */
class FCOSHead extends Module<[], never> {
  add<M extends Module>(name: string, m: M): M {
    return this.registerModule(name, m);
  }

  forward(): never {
    throw new FoveaError({ op: 'FCOSHead.forward', arg: 'this', expected: 'FCOS.forward', got: 'a direct call' });
  }
}

