import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { shapesScenes } from '../datasets/shapes.js';
import { shapesToTargets } from '../datasets/shapes-targets.js';
import { FCN } from '../segmentation/fcn.js';
import { panopticMerge } from '../segmentation/panoptic-merge.js';
import { disposeDetections } from './detections.js';
import { FCOS } from './fcos.js';
import { lossAndGradients } from './loss-and-gradients.js';
import { MaskRCNN } from './mask-rcnn.js';

const BACKBONE = { widths: [4, 8, 8], stemStride: 2 } as const;

async function valid(boxes: tf.Tensor, scores: tf.Tensor, labels: tf.Tensor, k: number): Promise<void> {
  const [b, s, l] = await Promise.all([boxes.data(), scores.data(), labels.data()]);
  expect(b.length).toBe(4 * s.length);
  expect(labels.dtype).toBe('int32');
  expect(Array.from(l).every((v) => v >= 1 && v <= k)).toBe(true);
  expect(Array.from(s).every((v) => v > 0 && v <= 1)).toBe(true);
  expect(Array.from(b).every((v) => v >= 0 && v <= 16)).toBe(true);
}

describe(`detectors and segmentation on ${tf.getBackend()}`, () => {
  it('FCOS: losses, gradients and detections', async () => {
    const batch = shapesToTargets(shapesScenes(1, { size: 16, minSize: 5, maxSize: 8, maxObjects: 2, generator: new Generator(0) }));
    const model = new FCOS({ numClasses: 3, backbone: BACKBONE, fpnChannels: 8, headConvs: 1, generator: new Generator(0) });
    const r = await lossAndGradients(model, batch.images, batch.targets);
    expect(Object.values(r.losses).every(Number.isFinite)).toBe(true);
    expect(Object.keys(r.grads).length).toBeGreaterThan(0);
    tf.dispose(r.grads);
    const [d] = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 5 });
    await valid(d!.boxes, d!.scores, d!.labels, 3);
    disposeDetections(d!);
    batch.dispose();
    model.dispose();
  });

  it('Mask R-CNN: the five losses, detections with masks, panoptic merge with an FCN', async () => {
    const batch = shapesToTargets(shapesScenes(1, { size: 16, minSize: 5, maxSize: 8, maxObjects: 2, generator: new Generator(1) }), { masks: true });
    const model = new MaskRCNN({
      numClasses: 3,
      backbone: BACKBONE,
      fpnChannels: 8,
      rpn: { anchorSizes: [6], aspectRatios: [1], batchSizePerImage: 16, preNmsTopN: [20, 20], postNmsTopN: [8, 8] },
      roiHeads: { poolSize: 3, representationSize: 8, batchSizePerImage: 8 },
      maskHead: { poolSize: 2, channels: 4, convs: 1 },
      generator: new Generator(1),
    });
    const r = await lossAndGradients(model, batch.images, batch.targets);
    expect(Object.keys(r.losses).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_mask', 'loss_objectness', 'loss_rpn_box_reg']);
    expect(Object.values(r.losses).every(Number.isFinite)).toBe(true);
    tf.dispose(r.grads);
    const dets = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 3 });
    await valid(dets[0]!.boxes, dets[0]!.scores, dets[0]!.labels, 3);
    expect(dets[0]!.masks!.shape).toEqual([dets[0]!.scores.shape[0], 16, 16]);
    const fcn = new FCN({ numClasses: 6, backbone: { widths: [4, 4] }, decoderChannels: 4, generator: new Generator(1) });
    const semantic = fcn.segment(batch.images);
    expect(semantic.shape).toEqual([1, 16, 16]);
    const [p] = await panopticMerge(dets, semantic, { stuffClasses: [4, 5], scoreThreshold: 0, stuffAreaThreshold: 0 });
    const seg = await p!.segments.data();
    expect(Array.from(seg).every((v) => v >= -1 && v < p!.segmentsInfo.length)).toBe(true);
    tf.dispose([semantic, p!.segments]);
    disposeDetections(dets);
    batch.dispose();
    model.dispose();
    fcn.dispose();
  });
});
