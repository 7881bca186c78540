/** The box branch shared by the R-CNN family (private): roi sampling, the Fast R-CNN loss, post-processing. */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, smoothL1Loss, softmax } from '@fovea/core';
import { clipBoxesToImage } from '../../boxes/clip-boxes-to-image.js';
import { decodeBoxes, encodeBoxes, type BoxCoderWeights } from '../../coder/box-coder.js';
import { boxIou } from '../../iou/box-iou.js';
import { matchBoxes } from '../../matcher/matcher.js';
import { batchedNms } from '../../nms/batched-nms.js';
import type { BalancedPositiveNegativeSampler } from '../../sampler/balanced-positive-negative-sampler.js';
import type { ResolvedDetect } from './checks.js';
import { boxSides } from './sides.js';
import type { DetectorTarget, Detections } from '../types.js';

/** Raw outputs of the box head for a set of rois. @category Detectors */
export interface RoIHeadsOutput {
  /** `[R, K + 1]` class logits (column 0 is the background). */
  classLogits: tf.Tensor2D;
  /** `[R, 4·(K + 1)]` per-class box deltas relative to the rois. */
  boxDeltas: tf.Tensor2D;
}

/** Proposals sampled for training, with their targets (see {@link RoIHeads.sampleProposals}). @category Detectors */
export interface RoISamples {
  /** `[R, 5]` rois `(batch index, x1, y1, x2, y2)`. */
  rois: tf.Tensor2D;
  /** `[R]` int32 class targets (0 background). */
  labels: tf.Tensor1D;
  /** `[R, 4]` box-regression targets (meaningful for foreground rows). */
  regression: tf.Tensor2D;
  /** `[R]` 1 for foreground rows, else 0. */
  foreground: tf.Tensor1D;
  /** The foreground rows: their index in `rois`, label and ground-truth index (counted over all images' targets in order). */
  positives: { rows: Int32Array; labels: Int32Array; gtIndex: Int32Array };
}

/** Releases {@link RoISamples}. */
export function disposeRoiSamples(s: RoISamples): void {
  tf.dispose([s.rois, s.labels, s.regression, s.foreground]);
}

/** `[K_i, 4]` boxes per image → `[ΣK_i, 5]` rois with the batch index in front. */
export function toRois(boxes: tf.Tensor2D[]): tf.Tensor2D {
  return tf.tidy(() => {
    if (boxes.length === 0) return tf.zeros([0, 5]) as tf.Tensor2D;
    const parts = boxes.map((b, i) => tf.concat([tf.fill([b.shape[0], 1], i), b], 1));
    return tf.concat(parts) as tf.Tensor2D;
  });
}


/** Matching settings of {@link sampleRois}. */
export interface RoiMatching {
  fgIouThreshold: number;
  bgIouThreshold: number;
  weights: BoxCoderWeights;
}

/**
 * torchvision's `select_training_samples`: each image's ground-truth boxes
 * are added to its proposals, matched (no low-quality matches), labelled
 * (matched → its class, below `bgIouThreshold` → 0, between → ignored),
 * sampled, and the regression targets encoded.
 */
export async function sampleRois(proposals: tf.Tensor2D[], targets: DetectorTarget[], sampler: BalancedPositiveNegativeSampler, o: RoiMatching): Promise<RoISamples> {
  const all = proposals.map((p, i) => tf.concat([p, targets[i]!.boxes]) as tf.Tensor2D); // [R_i + M_i, 4]
  const matches: Int32Array[] = [];
  const labels: Int32Array[] = [];
  try {
    for (let i = 0; i < all.length; i++) {
      const t = targets[i]!;
      const iou = boxIou(t.boxes, all[i]!); // [M, R]
      const m = await matchBoxes(iou, { highThreshold: o.fgIouThreshold, lowThreshold: o.bgIouThreshold });
      iou.dispose();
      const md = (await m.data()) as Int32Array;
      const gl = (await t.labels.data()) as Int32Array;
      m.dispose();
      matches.push(md);
      labels.push(Int32Array.from(md, (g) => (g >= 0 ? gl[g]! : g === -1 ? 0 : -1)));
    }
    const labelTensors = labels.map((l) => tf.tensor1d(l, 'int32'));
    const { positive, negative } = await sampler.sample(labelTensors);
    const pos = await Promise.all(positive.map((p) => p.data()));
    const neg = await Promise.all(negative.map((p) => p.data()));
    tf.dispose([...positive, ...negative, ...labelTensors]);
    return buildSamples(all, targets, matches, labels, pos, neg, o.weights);
  } finally {
    tf.dispose(all);
  }
}

function buildSamples(
  all: tf.Tensor2D[], targets: DetectorTarget[], matches: Int32Array[], labels: Int32Array[],
  pos: ArrayLike<number>[], neg: ArrayLike<number>[], weights: BoxCoderWeights,
): RoISamples {
  const rows: number[][] = [];
  const posRows: number[] = [], posLabels: number[] = [], posGt: number[] = [], sampledLabels: number[] = [];
  let gtOffset = 0, r = 0;
  all.forEach((_, i) => {
    const sel: number[] = [];
    for (let j = 0; j < matches[i]!.length; j++) {
      if (!pos[i]![j] && !neg[i]![j]) continue;
      sel.push(j);
      sampledLabels.push(labels[i]![j]!);
      if (pos[i]![j]) {
        posRows.push(r);
        posLabels.push(labels[i]![j]!);
        posGt.push(gtOffset + matches[i]![j]!);
      }
      r++;
    }
    rows.push(sel);
    gtOffset += targets[i]!.boxes.shape[0];
  });
  return tf.tidy(() => {
    const parts = all.map((boxes, i) => {
      const b = tf.gather(boxes, tf.tensor1d(rows[i]!, 'int32')) as tf.Tensor2D; // [S_i, 4]
      const t = targets[i]!;
      const m = Array.from(rows[i]!, (j) => Math.max(matches[i]![j]!, 0));
      const gt = t.boxes.shape[0] === 0 ? b : (tf.gather(t.boxes, tf.tensor1d(m, 'int32')) as tf.Tensor2D);
      return { b, reg: encodeBoxes(gt, b, weights) };
    });
    const lab = tf.tensor1d(sampledLabels, 'int32');
    return {
      rois: toRois(parts.map((p) => p.b)),
      labels: lab,
      regression: tf.concat(parts.map((p) => p.reg)) as tf.Tensor2D,
      foreground: tf.cast(tf.greater(lab, 0), 'float32') as tf.Tensor1D,
      positives: { rows: Int32Array.from(posRows), labels: Int32Array.from(posLabels), gtIndex: Int32Array.from(posGt) },
    };
  });
}

/**
 * torchvision's `fastrcnn_loss`: cross-entropy over the sampled rois, and
 * smooth L1 (β = 1/9) of the true class's deltas on the foreground rois
 * divided by the number of rois.
 */
export function fastRcnnLoss(out: RoIHeadsOutput, samples: RoISamples, numClasses: number): { loss_classifier: tf.Scalar; loss_box_reg: tf.Scalar } {
  return tf.tidy(() => {
    const r = samples.labels.shape[0];
    const k1 = numClasses + 1;
    const lossCls = crossEntropy(out.classLogits, samples.labels) as tf.Scalar;
    const deltas = tf.reshape(out.boxDeltas, [r, k1, 4]); // [R, K+1, 4]
    const onehot = tf.expandDims(tf.oneHot(samples.labels, k1), 2); // [R, K+1, 1]
    const own = tf.sum(tf.mul(deltas, onehot), 1); // [R, 4], the true class's deltas
    const l1 = smoothL1Loss(own, samples.regression, { beta: 1 / 9, reduction: 'none' }); // [R, 4]
    const lossBox = tf.div(tf.sum(tf.mul(l1, tf.expandDims(samples.foreground, 1))), Math.max(r, 1)) as tf.Scalar;
    return { loss_classifier: lossCls, loss_box_reg: lossBox };
  });
}

/**
 * torchvision's `postprocess_detections`: softmax scores, per-class boxes
 * decoded on the proposals and clipped, the background dropped, boxes under
 * 0.01 px dropped, score threshold, class-wise NMS, the best `maxDetections`.
 */
export async function postprocessBoxes(
  out: RoIHeadsOutput, proposals: tf.Tensor2D[], imageSize: readonly [number, number], k: number, weights: BoxCoderWeights, opts: ResolvedDetect,
): Promise<Detections[]> {
  const [boxes, scores, labels] = tf.tidy(() => {
    const all = (proposals.length ? tf.concat(proposals) : tf.zeros([0, 4])) as tf.Tensor2D; // [R, 4]
    const r = all.shape[0];
    const dec = tf.reshape(decodeBoxes(out.boxDeltas, all, weights), [r, k + 1, 4]); // [R, K+1, 4]
    const b = tf.reshape(clipBoxesToImage(tf.slice(dec, [0, 1, 0], [r, k, 4]), imageSize), [r * k, 4]); // [R·K, 4]
    const s = tf.reshape(tf.slice(softmax(out.classLogits, -1), [0, 1], [r, k]), [r * k]); // [R·K]
    const small = tf.less(tf.min(boxSides(b as tf.Tensor2D), 1), 1e-2); // [R·K]
    const l = tf.tile(tf.range(1, k + 1, 1, 'int32'), [r]); // [R·K]
    return [b, tf.where(small, tf.fill([r * k], -1), s), l] as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
  });
  try {
    const dets: Detections[] = [];
    let start = 0;
    for (const p of proposals) {
      const n = p.shape[0] * k;
      const [bi, si, li] = tf.tidy(() => [tf.slice(boxes, [start, 0], [n, 4]), tf.slice(scores, [start], [n]), tf.slice(labels, [start], [n])]);
      start += n;
      const keep = await batchedNms(bi!, si!, li!, opts.nmsThreshold, { scoreThreshold: opts.scoreThreshold, topK: opts.maxDetections });
      dets.push({ boxes: tf.gather(bi!, keep) as tf.Tensor2D, scores: tf.gather(si!, keep) as tf.Tensor1D, labels: tf.gather(li!, keep) as tf.Tensor1D });
      tf.dispose([bi!, si!, li!, keep]);
    }
    return dets;
  } finally {
    tf.dispose([boxes, scores, labels]);
  }
}
