import * as tf from '@tensorflow/tfjs-core';
import { Module, bceWithLogits, checkNumber, checkTensor, relu, smoothL1Loss, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { AnchorGenerator } from '../anchors/anchor-generator.js';
import { clipBoxesToImage } from '../boxes/clip-boxes-to-image.js';
import { decodeBoxes, encodeBoxes } from '../coder/box-coder.js';
import { boxIou } from '../iou/box-iou.js';
import { matchBoxes } from '../matcher/matcher.js';
import { nms } from '../nms/nms.js';
import { BalancedPositiveNegativeSampler } from '../sampler/balanced-positive-negative-sampler.js';
import { genOpt, initNormal } from './_internal/init.js';
import { boxSides } from './_internal/sides.js';
import type { DetectorTarget } from './types.js';

/** Options for {@link RegionProposalNetwork} (torchvision's `rpn_*` arguments, scaled down for small images). @category Detectors */
export interface RPNOptions {
  /** Channels of the feature map. */
  inChannels: number;
  /** Anchor sizes (square side, pixels); default `[12, 20, 32]` (objects of 64–128 px scenes). */
  anchorSizes?: number[];
  /** Anchor aspect ratios (height / width); default `[0.5, 1, 2]`. */
  aspectRatios?: number[];
  /** IoU at or above which an anchor is foreground; default 0.7. */
  fgIouThreshold?: number;
  /** IoU below which an anchor is background; default 0.3. */
  bgIouThreshold?: number;
  /** Anchors sampled per image for the losses; default 128 (torchvision 256). */
  batchSizePerImage?: number;
  /** Largest share of positives among them; default 0.5. */
  positiveFraction?: number;
  /** Proposals kept before NMS, training / testing; default `[600, 300]` (torchvision 2000 / 1000). */
  preNmsTopN?: [number, number];
  /** Proposals kept after NMS, training / testing; default `[150, 100]` (torchvision 2000 / 1000). */
  postNmsTopN?: [number, number];
  /** NMS IoU threshold between proposals; default 0.7. */
  nmsThreshold?: number;
  /** Proposals narrower or shorter than this (pixels) are dropped; default 1e-3. */
  minSize?: number;
  /** Random source of the initial weights and of the anchor sampling; default core's default generator. */
  generator?: Generator;
}

/** Raw RPN outputs for a batch. @category Detectors */
export interface RPNOutput {
  /** `[N, h·w·A]` objectness logits, anchors ordered as {@link AnchorGenerator}'s. */
  objectness: tf.Tensor2D;
  /** `[N, h·w·A, 4]` box deltas `[dx, dy, dw, dh]` relative to the anchors (weights `[1, 1, 1, 1]`). */
  deltas: tf.Tensor3D;
}

/** The RPN's training targets for a batch (see {@link RegionProposalNetwork.assignTargets}). @category Detectors */
export interface RPNTargets {
  /** `[N·A]` 1 for sampled foreground anchors, else 0. */
  objectness: tf.Tensor1D;
  /** `[N·A]` 1 for sampled anchors (foreground or background), else 0. */
  sampled: tf.Tensor1D;
  /** `[P]` int32 indices (into the `N·A` anchors of the batch) of the sampled foreground anchors. */
  foreground: tf.Tensor1D;
  /** `[P, 4]` deltas of their matched boxes (weights `[1, 1, 1, 1]`). */
  deltas: tf.Tensor2D;
  /** Number of sampled anchors (the losses' divisor). */
  numSampled: number;
}

/** The RPN's convolutions (torchvision's `RPNHead`). */
class RPNHead extends Module<[tf.Tensor], RPNOutput> {
  private readonly conv: Conv2d;
  private readonly clsLogits: Conv2d;
  private readonly bboxPred: Conv2d;

  constructor(channels: number, private readonly numAnchors: number, generator: Generator | undefined) {
    super();
    const gen = genOpt(generator);
    this.conv = this.registerModule('conv', new Conv2d(channels, channels, 3, { padding: 1, ...gen }));
    this.clsLogits = this.registerModule('cls_logits', new Conv2d(channels, numAnchors, 1, gen));
    this.bboxPred = this.registerModule('bbox_pred', new Conv2d(channels, 4 * numAnchors, 1, gen));
    for (const c of [this.conv, this.clsLogits, this.bboxPred]) initNormal(c, 0.01, generator);
  }

  forward(features: tf.Tensor): RPNOutput {
    return tf.tidy(() => {
      const [n, h, w] = features.shape as [number, number, number, number];
      const t = relu(this.conv.forward(features)); // [N, h, w, C]
      const objectness = tf.reshape(this.clsLogits.forward(t), [n, h * w * this.numAnchors]) as tf.Tensor2D; // [N, h·w·A]
      const deltas = tf.reshape(this.bboxPred.forward(t), [n, h * w * this.numAnchors, 4]) as tf.Tensor3D; // [N, h·w·A, 4]
      return { objectness, deltas };
    });
  }
}

/**
 * The region proposal network of Faster R-CNN (Ren et al., NeurIPS 2015),
 * torchvision's `RegionProposalNetwork` on one feature map: a 3×3
 * convolution + ReLU, then per location and anchor an objectness logit and
 * four box deltas. {@link RegionProposalNetwork.proposals} decodes the
 * deltas on the anchors, clips, drops tiny boxes and runs NMS per image;
 * {@link RegionProposalNetwork.assignTargets} matches anchors to ground truth
 * (IoU ≥ 0.7 foreground, < 0.3 background, every ground truth keeps its best
 * anchors) and samples a balanced batch; {@link RegionProposalNetwork.losses}
 * gives the binary cross-entropy of the objectness and the smooth-L1
 * (β = 1/9) box loss on the positives, both divided by the number sampled.
 *
 * State-dict keys: `head.conv.*`, `head.cls_logits.*`, `head.bbox_pred.*`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RegionProposalNetwork } from '@fovea/detection';
 * const rpn = new RegionProposalNetwork({ inChannels: 64, anchorSizes: [16, 32], aspectRatios: [1] });
 * const feats = tf.zeros([1, 16, 16, 64]);
 * const { objectness, deltas } = rpn.forward(feats); // [1, 512], [1, 512, 4]
 * const anchors = rpn.anchors([64, 64], [16, 16]);   // [512, 4]
 * const [proposals] = await rpn.proposals(objectness, deltas, anchors, [64, 64]); // [≤ 100, 4]
 * ```
 * @category Detectors
 */
export class RegionProposalNetwork extends Module<[tf.Tensor], RPNOutput> {
  /** Anchors per location. */
  readonly numAnchors: number;
  /** The resolved options. */
  readonly options: Required<Omit<RPNOptions, 'generator'>>;
  private readonly head: RPNHead;
  private readonly anchorGenerator: AnchorGenerator;
  private readonly sampler: BalancedPositiveNegativeSampler;

  /** @param opts channels, anchors, matching, sampling, proposal settings, generator. */
  constructor(opts: RPNOptions) {
    super();
    const op = 'RegionProposalNetwork';
    const o = {
      inChannels: checkNumber(op, 'options.inChannels', opts?.inChannels, { integer: true, min: 1 }),
      anchorSizes: opts.anchorSizes ?? [12, 20, 32],
      aspectRatios: opts.aspectRatios ?? [0.5, 1, 2],
      fgIouThreshold: checkNumber(op, 'options.fgIouThreshold', opts.fgIouThreshold ?? 0.7, { min: 0, max: 1 }),
      bgIouThreshold: checkNumber(op, 'options.bgIouThreshold', opts.bgIouThreshold ?? 0.3, { min: 0, max: 1 }),
      batchSizePerImage: opts.batchSizePerImage ?? 128,
      positiveFraction: opts.positiveFraction ?? 0.5,
      preNmsTopN: opts.preNmsTopN ?? [600, 300],
      postNmsTopN: opts.postNmsTopN ?? [150, 100],
      nmsThreshold: checkNumber(op, 'options.nmsThreshold', opts.nmsThreshold ?? 0.7, { min: 0, max: 1 }),
      minSize: checkNumber(op, 'options.minSize', opts.minSize ?? 1e-3, { min: 0 }),
    };
    [0, 1].forEach((i) => {
      checkNumber(op, `options.preNmsTopN[${i}]`, o.preNmsTopN[i], { integer: true, min: 1 });
      checkNumber(op, `options.postNmsTopN[${i}]`, o.postNmsTopN[i], { integer: true, min: 1 });
    });
    checkNumber(op, 'options.bgIouThreshold', o.bgIouThreshold, { max: o.fgIouThreshold });
    this.options = o;
    this.anchorGenerator = new AnchorGenerator({ sizes: [o.anchorSizes], aspectRatios: [o.aspectRatios] });
    this.numAnchors = this.anchorGenerator.numAnchorsPerLocation()[0]!;
    this.sampler = new BalancedPositiveNegativeSampler({ batchSizePerImage: o.batchSizePerImage, positiveFraction: o.positiveFraction, ...genOpt(opts.generator) });
    this.head = this.registerModule('head', new RPNHead(o.inChannels, this.numAnchors, opts.generator));
  }


  /** `features [N, h, w, C]` → objectness `[N, h·w·A]` and deltas `[N, h·w·A, 4]`. */
  forward(features: tf.Tensor): RPNOutput {
    checkTensor('RegionProposalNetwork.forward', 'features', features, { shape: ['N', 'h', 'w', this.options.inChannels], dtype: 'float32' });
    return this.head.forward(features);
  }

  /** The anchors of an `imageSize` image with a `featureSize` map, `[h·w·A, 4]` (torchvision's order). */
  anchors(imageSize: readonly [number, number], featureSize: readonly [number, number]): tf.Tensor2D {
    return this.anchorGenerator.forward(imageSize, [featureSize]);
  }

  /**
   * Proposals per image (no gradient): decode, clip to the image, drop boxes
   * smaller than `minSize`, keep the `preNmsTopN` best, NMS at
   * `nmsThreshold`, keep the `postNmsTopN` best. Training or testing counts
   * follow `this.training`.
   * @returns one `[R_i, 4]` tensor of boxes per image, by decreasing objectness.
   */
  async proposals(objectness: tf.Tensor2D, deltas: tf.Tensor3D, anchors: tf.Tensor2D, imageSize: readonly [number, number]): Promise<tf.Tensor2D[]> {
    const o = this.options;
    const [n, a] = objectness.shape;
    const k = Math.min(o.preNmsTopN[this.training ? 0 : 1], a);
    const [boxes, scores] = tf.tidy(() => {
      // the preNmsTopN best anchors of each image first (torchvision's order), then decode only those
      const top = tf.topk(objectness, k); // values, indices [N, k]
      const rows = tf.add(top.indices, tf.reshape(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(a, 'int32')), [n, 1])); // [N, k] into N·A
      const d = tf.gather(tf.reshape(deltas, [n * a, 4]), tf.reshape(rows, [-1])); // [N·k, 4]
      const anc = tf.gather(anchors, tf.reshape(top.indices, [-1])); // [N·k, 4]
      const b = clipBoxesToImage(decodeBoxes(d, anc, [1, 1, 1, 1]), imageSize) as tf.Tensor2D; // [N·k, 4]
      const small = tf.less(tf.min(boxSides(b), 1), o.minSize); // [N·k]
      const s = tf.where(tf.reshape(small, [n, k]), tf.fill([n, k], -1), tf.sigmoid(top.values)); // [N, k], tiny boxes -1
      return [tf.reshape(b, [n, k, 4]), s] as [tf.Tensor3D, tf.Tensor2D];
    });
    try {
      const out: tf.Tensor2D[] = [];
      for (let i = 0; i < n; i++) {
        const [bi, si] = tf.tidy(() => [tf.reshape(tf.slice(boxes, [i, 0, 0], [1, k, 4]), [k, 4]), tf.reshape(tf.slice(scores, [i, 0], [1, k]), [k])]);
        const keep = await nms(bi!, si!, o.nmsThreshold, { scoreThreshold: -0.5, topK: o.postNmsTopN[this.training ? 0 : 1] });
        out.push(tf.gather(bi!, keep) as tf.Tensor2D);
        tf.dispose([bi!, si!, keep]);
      }
      return out;
    } finally {
      tf.dispose([boxes, scores]);
    }
  }

  /**
   * Training targets (no gradient): matches each image's anchors to its
   * ground-truth boxes and samples `batchSizePerImage` anchors, at most
   * `positiveFraction` of them foreground.
   * @param anchors `[A, 4]` anchors (the same for every image).
   * @param targets one target per image (only `boxes` is used).
   */
  async assignTargets(anchors: tf.Tensor2D, targets: DetectorTarget[]): Promise<RPNTargets> {
    const o = this.options;
    const a = anchors.shape[0];
    const n = targets.length;
    // per image: match (async), then labels and matched rows in JS
    const labels: Int32Array[] = [];
    const matched: Int32Array[] = [];
    for (const t of targets) {
      const iou = boxIou(t.boxes, anchors); // [M, A]
      const m = await matchBoxes(iou, { highThreshold: o.fgIouThreshold, lowThreshold: o.bgIouThreshold, allowLowQualityMatches: true });
      iou.dispose();
      const md = (await m.data()) as Int32Array;
      m.dispose();
      matched.push(md);
      labels.push(Int32Array.from(md, (g) => (g >= 0 ? 1 : g === -1 ? 0 : -1)));
    }
    const labelTensors = labels.map((l) => tf.tensor1d(l, 'int32'));
    const { positive, negative } = await this.sampler.sample(labelTensors);
    const [posT, negT] = [tf.concat(positive), tf.concat(negative)];
    const [pos, neg] = (await Promise.all([posT.data(), negT.data()])).map((d) => Float32Array.from(d));
    tf.dispose([...labelTensors, ...positive, ...negative, posT, negT]);
    let numSampled = 0;
    const sampled = new Float32Array(n * a);
    const fgIndex: number[] = [], fgAnchor: number[] = [], fgBox: number[] = [];
    let offset = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < a; j++) {
        const k = i * a + j;
        if (!(sampled[k] = pos![k]! || neg![k]! ? 1 : 0)) continue;
        numSampled++;
        if (!pos![k]) continue;
        fgIndex.push(k);
        fgAnchor.push(j);
        fgBox.push(offset + matched[i]![j]!);
      }
      offset += targets[i]!.boxes.shape[0];
    }
    const deltas = tf.tidy(() => {
      if (fgIndex.length === 0) return tf.zeros([0, 4]) as tf.Tensor2D;
      const boxes = tf.gather(tf.concat(targets.map((t) => t.boxes)), tf.tensor1d(fgBox, 'int32')) as tf.Tensor2D; // [P, 4]
      return encodeBoxes(boxes, tf.gather(anchors, tf.tensor1d(fgAnchor, 'int32')) as tf.Tensor2D, [1, 1, 1, 1]); // [P, 4]
    });
    return { objectness: tf.tensor1d(pos!), sampled: tf.tensor1d(sampled), foreground: tf.tensor1d(fgIndex, 'int32'), deltas, numSampled };
  }

  /**
   * The two RPN losses (differentiable in `out`): `loss_objectness` (binary
   * cross-entropy over the sampled anchors) and `loss_rpn_box_reg` (smooth
   * L1, β = 1/9, over the sampled foreground anchors), both divided by the
   * number of sampled anchors, as torchvision.
   */
  losses(out: RPNOutput, targets: RPNTargets): { loss_objectness: tf.Scalar; loss_rpn_box_reg: tf.Scalar } {
    return tf.tidy(() => {
      const denom = Math.max(targets.numSampled, 1);
      const logits = tf.reshape(out.objectness, [-1]); // [N·A]
      const bce = bceWithLogits(logits, targets.objectness, { reduction: 'none' }); // [N·A]
      const lossObj = tf.div(tf.sum(tf.mul(bce, targets.sampled)), denom) as tf.Scalar;
      const d = tf.gather(tf.reshape(out.deltas, [-1, 4]), targets.foreground); // [P, 4] of [N·A, 4]
      const lossBox = tf.div(smoothL1Loss(d, targets.deltas, { beta: 1 / 9, reduction: 'sum' }), denom) as tf.Scalar;
      return { loss_objectness: lossObj, loss_rpn_box_reg: lossBox };
    });
  }
}

/** Releases {@link RPNTargets}. */
export function disposeRpnTargets(t: RPNTargets): void {
  tf.dispose([t.objectness, t.sampled, t.foreground, t.deltas]);
}
