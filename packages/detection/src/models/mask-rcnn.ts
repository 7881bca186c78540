import * as tf from '@tensorflow/tfjs-core';
import { Module, Sequential, ReLU, bceWithLogits, checkNumber, relu, sigmoid, type Generator } from '@fovea/core';
import { Conv2d, ConvTranspose2d } from '@fovea/layers';
import { roiAlign } from '../roi/roi-align.js';
import { FasterRCNN, type FasterRCNNOptions, type FasterRCNNPrepared } from './faster-rcnn.js';
import { toRois, type RoISamples } from './roi-heads.js';
import { genOpt } from './_internal/init.js';
import type { DetectorTarget, Detections } from './types.js';

/** Options of {@link MaskRCNN}'s mask branch. @category Detectors */
export interface MaskHeadOptions {
  /** RoIAlign output size per side; the masks are twice as large. Default 14 (28 × 28 masks, torchvision's). */
  poolSize?: number;
  /** 3×3 convolutions + ReLU before the upsampling; default 2 (torchvision 4). */
  convs?: number;
  /** Their channels; default 32 (torchvision 256). */
  channels?: number;
  /** RoIAlign samples per bin and axis; default 2. */
  samplingRatio?: number;
}

/** Options for {@link MaskRCNN}. @category Detectors */
export interface MaskRCNNOptions extends FasterRCNNOptions {
  /** The mask branch (see {@link MaskHeadOptions}). */
  maskHead?: MaskHeadOptions;
}

/** {@link MaskRCNN}'s prepared training batch: Faster R-CNN's, plus the mask targets. @category Detectors */
export interface MaskRCNNPrepared extends FasterRCNNPrepared {
  /** `[P, 5]` rois of the sampled foreground proposals. */
  maskRois?: tf.Tensor2D;
  /** `[P]` int32 their classes. */
  maskLabels?: tf.Tensor1D;
  /** `[P, m, m]` their ground-truth masks resampled to the roi (RoIAlign of the 0/1 mask, soft at the edges). */
  maskTargets?: tf.Tensor3D;
}

/**
 * The mask branch of Mask R-CNN (torchvision's `MaskRCNNHeads` +
 * `MaskRCNNPredictor`): RoIAlign → 3×3 convolutions with ReLU → a 2×2
 * stride-2 transposed convolution with ReLU → a 1×1 convolution with one mask
 * logit map per class. Keys: `mask_head.<i>.*`, `mask_predictor.conv5_mask.*`,
 * `mask_predictor.mask_fcn_logits.*`.
 */
class MaskBranch extends Module<[tf.Tensor, tf.Tensor2D], tf.Tensor4D> {
  readonly poolSize: number;
  private readonly samplingRatio: number;
  private readonly head: Sequential;
  private readonly up: ConvTranspose2d;
  private readonly logits: Conv2d;

  constructor(inChannels: number, numClasses: number, private readonly featureStride: number, o: Required<MaskHeadOptions>, generator: Generator | undefined) {
    super();
    const gen = genOpt(generator);
    this.poolSize = o.poolSize;
    this.head = this.registerModule('mask_head', new Sequential());
    for (let i = 0; i < o.convs; i++) {
      this.head.append(new Conv2d(i === 0 ? inChannels : o.channels, o.channels, 3, { padding: 1, ...gen }));
      this.head.append(new ReLU());
    }
    const predictor = this.registerModule('mask_predictor', new Sequential());
    const c = o.convs > 0 ? o.channels : inChannels;
    this.up = new ConvTranspose2d(c, c, 2, { stride: 2, ...gen });
    this.logits = new Conv2d(c, numClasses, 1, gen);
    predictor.append(this.up);
    predictor.append(this.logits);
    this.samplingRatio = o.samplingRatio;
  }

  /** `features [N, h, w, C]`, `rois [R, 5]` → mask logits `[R, 2p, 2p, K]`. */
  forward(features: tf.Tensor, rois: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const x = roiAlign(features, rois, { outputSize: this.poolSize, spatialScale: 1 / this.featureStride, samplingRatio: this.samplingRatio }); // [R, p, p, C]
      return this.logits.forward(relu(this.up.forward(this.head.forward(x)))); // [R, 2p, 2p, K]
    });
  }
}

/** The mask logits `[R, m, m]` of each roi's own class (`labels` 1-based), from `[R, m, m, K]`. */
function ownClass(logits: tf.Tensor4D, labels: tf.Tensor1D, k: number): tf.Tensor3D {
  return tf.tidy(() => {
    const onehot = tf.reshape(tf.oneHot(tf.sub(labels, tf.scalar(1, 'int32')), k), [-1, 1, 1, k]); // [R, 1, 1, K]
    return tf.sum(tf.mul(logits, onehot), 3) as tf.Tensor3D;
  });
}

/**
 * Mask R-CNN (He, Gkioxari, Dollár and Girshick, ICCV 2017): a
 * {@link FasterRCNN} with a mask branch on RoIAlign features. For every
 * foreground proposal sampled by the box head it predicts a `2p × 2p` mask
 * per class; `loss_mask` is the binary cross-entropy of the true class's
 * mask against the ground-truth mask resampled into the proposal box
 * (torchvision's `maskrcnn_loss`). `detect` adds `[D, H, W]` mask
 * probabilities, each box's mask pasted into the image by bilinear sampling. Targets need `masks` (`[M, H, W]`, 0/1).
 *
 * @example
 * ```ts
 * import { MaskRCNN, lossAndGradients, shapesScenes, shapesToTargets } from '@fovea/detection';
 * const model = new MaskRCNN({ numClasses: 3, maskHead: { poolSize: 7 } });
 * const batch = shapesToTargets(shapesScenes(4), { masks: true });
 * const { losses } = await lossAndGradients(model, batch.images, batch.targets);
 * // losses: loss_objectness, loss_rpn_box_reg, loss_classifier, loss_box_reg, loss_mask
 * const [d] = await model.detect(batch.images);
 * d.masks!.shape; // [D, 64, 64], probabilities; threshold at 0.5 for a binary mask
 * ```
 * @category Detectors
 */
export class MaskRCNN extends FasterRCNN {
  private readonly maskBranch: MaskBranch;

  /** @param opts Faster R-CNN's options and the mask branch's. */
  constructor(opts: MaskRCNNOptions) {
    super(opts);
    try {
      const op = 'MaskRCNN';
      const m = opts.maskHead ?? {};
      const o: Required<MaskHeadOptions> = {
        poolSize: checkNumber(op, 'options.maskHead.poolSize', m.poolSize ?? 14, { integer: true, min: 1 }),
        convs: checkNumber(op, 'options.maskHead.convs', m.convs ?? 2, { integer: true, min: 0 }),
        channels: checkNumber(op, 'options.maskHead.channels', m.channels ?? 32, { integer: true, min: 1 }),
        samplingRatio: checkNumber(op, 'options.maskHead.samplingRatio', m.samplingRatio ?? 2, { integer: true }),
      };
      this.maskBranch = this.registerModule('mask', new MaskBranch(this.fpn.outChannels, this.numClasses, this.featureStride, o, opts.generator));
    } catch (e) {
      this.dispose(); // release what was built before the bad option
      throw e;
    }
  }

  /** Side of the predicted masks (twice the pooled size). */
  get maskSize(): number {
    return 2 * this.maskBranch.poolSize;
  }

  protected override needsMasks(): boolean {
    return true;
  }

  /** Adds the foreground rois, their classes and their mask targets. */
  protected override async extendPrepared(_images: tf.Tensor4D, targets: DetectorTarget[], prepared: FasterRCNNPrepared): Promise<MaskRCNNPrepared> {
    const pos = prepared.samples.positives;
    if (pos.rows.length === 0) return prepared;
    const m = this.maskSize;
    const [maskRois, maskLabels, maskTargets] = tf.tidy(() => {
      const rois = tf.gather(prepared.samples.rois, tf.tensor1d(pos.rows, 'int32')) as tf.Tensor2D; // [P, 5]
      const masks = tf.expandDims(tf.concat(targets.map((t) => t.masks!)), 3); // [G, H, W, 1]
      const byGt = tf.concat([tf.reshape(tf.tensor1d(pos.gtIndex, 'float32'), [-1, 1]), tf.slice(rois, [0, 1], [-1, 4])], 1) as tf.Tensor2D; // [P, 5]
      const t = tf.reshape(roiAlign(masks, byGt, { outputSize: m, spatialScale: 1, samplingRatio: -1 }), [-1, m, m]); // [P, m, m]
      return [rois, tf.tensor1d(pos.labels, 'int32'), t] as [tf.Tensor2D, tf.Tensor1D, tf.Tensor3D];
    });
    const dispose = prepared.dispose;
    return { ...prepared, maskRois, maskLabels, maskTargets, dispose: () => (dispose(), tf.dispose([maskRois, maskLabels, maskTargets])) };
  }

  /** The box losses and `loss_mask`. */
  protected override secondStageLosses(features: tf.Tensor4D, samples: RoISamples, prepared: MaskRCNNPrepared): Record<string, tf.Scalar> {
    const losses = super.secondStageLosses(features, samples, prepared);
    const lossMask = tf.tidy(() => {
      if (!prepared.maskRois) return tf.scalar(0);
      const logits = ownClass(this.maskBranch.forward(features, prepared.maskRois), prepared.maskLabels!, this.numClasses); // [P, m, m]
      return bceWithLogits(logits, prepared.maskTargets!) as tf.Scalar;
    });
    return { ...losses, loss_mask: lossMask };
  }

  /** Predicts each detection's mask and pastes it into the image. */
  protected override async finishDetections(features: tf.Tensor4D, detections: Detections[], imageSize: readonly [number, number]): Promise<Detections[]> {
    const [h, w] = imageSize;
    return tf.tidy(() => {
      const rois = toRois(detections.map((d) => d.boxes));
      const labels = tf.concat(detections.map((d) => d.labels)) as tf.Tensor1D;
      const probs = rois.shape[0] === 0 ? tf.zeros([0, this.maskSize, this.maskSize]) : sigmoid(ownClass(this.maskBranch.forward(features, rois), labels, this.numClasses)); // [R, m, m]
      const pasted = pasteMasks(probs as tf.Tensor3D, tf.slice(rois, [0, 1], [-1, 4]) as tf.Tensor2D, h, w); // [R, H, W]
      let start = 0;
      return detections.map((d) => {
        const n = d.boxes.shape[0];
        const masks = tf.slice(pasted, [start, 0, 0], [n, h, w]) as tf.Tensor3D;
        start += n;
        return { ...d, masks };
      });
    });
  }
}

/**
 * Pastes `[R, m, m]` box-relative masks into `[R, H, W]` images: the pixel
 * centre `(x + 0.5, y + 0.5)` reads the mask bilinearly at its relative
 * position in the box, with zeros around the mask (so values fade to 0 over
 * the half mask-pixel at the box edge), like torchvision's
 * `paste_masks_in_image`. One `tf.image.cropAndResize` of the zero-padded
 * masks, whose "crop box" is the whole image in mask coordinates. @internal
 */
export function pasteMasks(masks: tf.Tensor3D, boxes: tf.Tensor2D, h: number, w: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [r, m] = masks.shape;
    if (r === 0) return tf.zeros([0, h, w]) as tf.Tensor3D;
    const padded = tf.pad(tf.expandDims(masks, 3), [[0, 0], [1, 1], [1, 1], [0, 0]]); // [R, m+2, m+2, 1]
    const span = m + 1; // index range of the padded mask
    const [x1, y1, x2, y2] = tf.split(boxes, 4, 1); // [R, 1] each
    // padded sample index of output pixel i: ((i + 0.5 - b1) / (b2 - b1)) · m - 0.5 + 1
    const axis = (b1: tf.Tensor, b2: tf.Tensor, n: number) => {
      const scale = tf.div(m, tf.maximum(tf.sub(b2, b1), 1e-6)); // mask pixels per image pixel
      const first = tf.add(tf.mul(tf.sub(0.5, b1), scale), 0.5); // index of pixel 0
      const last = tf.add(first, tf.mul(scale, n - 1)); // index of pixel n - 1
      return [tf.div(first, span), tf.div(last, span)];
    };
    const [ya, yb] = axis(y1!, y2!, h);
    const [xa, xb] = axis(x1!, x2!, w);
    const crop = tf.concat([ya!, xa!, yb!, xb!], 1) as tf.Tensor2D; // [R, 4] as cropAndResize's [y1, x1, y2, x2]
    const out = tf.image.cropAndResize(padded as tf.Tensor4D, crop, tf.range(0, r, 1, 'int32') as tf.Tensor1D, [h, w], 'bilinear', 0); // [R, H, W, 1]
    return tf.reshape(out, [r, h, w]) as tf.Tensor3D;
  });
}
