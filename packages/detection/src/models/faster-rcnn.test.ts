import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, loadModule, saveModule } from '@fovea/core';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_BACKBONE, expectValidDetections, mean, overfit, readDetections, tinyBatch } from '../../test/models.js';
import { disposeDetections } from './detections.js';
import { FasterRCNN, type FasterRCNNOptions } from './faster-rcnn.js';
import { lossAndGradients } from './loss-and-gradients.js';

const TINY: FasterRCNNOptions = {
  numClasses: 3,
  backbone: TINY_BACKBONE,
  featureLevel: 1, // stride 4: an 8×8 map for 32 px images
  fpnChannels: 16,
  rpn: { anchorSizes: [8, 14], aspectRatios: [1], batchSizePerImage: 64, preNmsTopN: [100, 50], postNmsTopN: [30, 20] },
  roiHeads: { representationSize: 32, batchSizePerImage: 16 },
};
const dir = mkdtempSync(join(tmpdir(), 'fovea-frcnn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FasterRCNN', () => {
  it('gives the first-stage outputs and anchors with the right shapes', () => {
    const model = new FasterRCNN({ ...TINY, generator: new Generator(0) });
    const x = tf.zeros([2, 32, 32, 3]);
    const out = model.forward(x);
    expect(out.features.shape).toEqual([2, 8, 8, 16]);
    expect(out.objectness.shape).toEqual([2, 8 * 8 * 2]);
    expect(out.deltas.shape).toEqual([2, 8 * 8 * 2, 4]);
    const anchors = model.anchorsFor(x, out.features);
    expect(anchors.shape).toEqual([128, 4]);
    const sd = model.stateDict();
    expect(Object.keys(sd)).toEqual(expect.arrayContaining(['rpn.head.conv.weight', 'rpn.head.cls_logits.bias', 'roi_heads.box_head.fc6.weight', 'roi_heads.box_predictor.bbox_pred.weight', 'fpn.layer_blocks.0.weight']));
    tf.dispose(Object.values(sd));
    tf.dispose([x, out.features, out.objectness, out.deltas, anchors]);
    model.dispose();
  });

  it('overfits one batch: the total loss halves, objectness and classification fall threefold', async () => {
    const batch = tinyBatch(2, 1);
    const model = new FasterRCNN({ ...TINY, generator: new Generator(1) });
    const { history, terms } = await overfit(model, batch, 60, 5e-3);
    expect(Object.keys(terms[0]!).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']);
    expect(history[0]).toBeGreaterThan(2); // ≈ log 2 + log 4 at the start
    // the box loss grows while more proposals become foreground, so the total is compared over the last steps
    expect(mean(history.slice(-5))).toBeLessThan(history[0]! / 2);
    const [a, z] = [terms[0]!, terms[terms.length - 1]!];
    expect(z['loss_objectness']).toBeLessThan(a['loss_objectness']! / 3);
    expect(z['loss_classifier']).toBeLessThan(a['loss_classifier']! / 3);
    batch.dispose();
    model.dispose();
  });

  it('detects with valid shapes, deterministically in eval mode, and survives a safetensors round trip', async () => {
    const batch = tinyBatch(2, 2);
    const model = new FasterRCNN({ ...TINY, generator: new Generator(2) });
    await overfit(model, batch, 10, 3e-3);
    model.eval();
    const a = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 5 });
    const b = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 5 });
    expect(a).toHaveLength(2);
    for (const d of a) await expectValidDetections(d, 3, 32, 5, 0.01);
    for (let i = 0; i < 2; i++) expect(await readDetections(a[i]!)).toEqual(await readDetections(b[i]!));
    const path = join(dir, 'frcnn.safetensors');
    await saveModule(model, path);
    const reloaded = new FasterRCNN({ ...TINY, generator: new Generator(99) });
    await loadModule(reloaded, path);
    const c = await reloaded.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 5 });
    for (let i = 0; i < 2; i++) expect(await readDetections(c[i]!)).toEqual(await readDetections(a[i]!));
    expect(reloaded.training).toBe(true); // detect restores the mode it found
    disposeDetections([...a, ...b, ...c]);
    batch.dispose();
    model.dispose();
    reloaded.dispose();
  });

  it('makes proposals for training without counting the batch in BatchNorm statistics', async () => {
    const model = new FasterRCNN({ ...TINY, backbone: { ...TINY_BACKBONE, block: 'basic' }, generator: new Generator(5) });
    const batch = tinyBatch(2, 5);
    const stats = () => model.namedBuffers().map(([k, b]) => [k, Array.from(b.dataSync())] as const);
    const before = stats();
    const prepared = await model.prepareTraining(batch.images, batch.targets);
    expect(stats()).toEqual(before);
    const losses = model.trainingLosses(batch.images, prepared); // the differentiable pass does update them, once
    expect(stats()).not.toEqual(before);
    expect(model.namedBuffers().find(([k]) => k.endsWith('num_batches_tracked'))![1].dataSync()[0]).toBe(1);
    tf.dispose(Object.values(losses));
    prepared.dispose();
    batch.dispose();
    model.dispose();
  });

  it('trains on images without objects', async () => {
    const model = new FasterRCNN({ ...TINY, generator: new Generator(3) });
    const images = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const targets = [{ boxes: tf.zeros([0, 4]) as tf.Tensor2D, labels: tf.zeros([0], 'int32') as tf.Tensor1D }];
    const r = await lossAndGradients(model, images, targets);
    expect(r.losses['loss_box_reg']).toBe(0);
    expect(Number.isFinite(r.loss)).toBe(true);
    tf.dispose([images, targets[0]!.boxes, targets[0]!.labels, r.grads]);
    model.dispose();
  });

  it('rejects bad input', async () => {
    const model = new FasterRCNN({ ...TINY });
    const batch = tinyBatch(2, 4);
    await expect(model.prepareTraining(batch.images, batch.targets.slice(0, 1))).rejects.toThrow('FasterRCNN.prepareTraining: targets must be an array of 2 targets (one per image), got 1 targets');
    const bad = [{ boxes: batch.targets[0]!.boxes, labels: tf.fill(batch.targets[0]!.labels.shape, 7, 'int32') as tf.Tensor1D }, batch.targets[1]!];
    await expect(model.prepareTraining(batch.images, bad)).rejects.toThrow('FasterRCNN.prepareTraining: targets[0].labels must be labels in 1..3, got 7 at index 0');
    const flat = tf.zeros([1, 32, 32]) as unknown as tf.Tensor4D;
    await expect(model.detect(flat)).rejects.toThrow('FasterRCNN.detect: images must be');
    expect(() => new FasterRCNN({ numClasses: 0 })).toThrow('FasterRCNN: options.numClasses must be');
    tf.dispose([bad[0]!.labels, flat]);
    batch.dispose();
    model.dispose();
  });
});
