/**
 * Smoke tests on every lane (cpu, wasm, webgpu): metrics read GPU-resident
 * tensors with `await t.data()` and leave no tensors behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  cocoMeanAveragePrecision,
  confusionMatrix,
  frechetDistance,
  meanIoU,
  MeanAveragePrecision,
  psnr,
  ssim,
} from '@fovea/metrics';

describe(`metrics on ${tf.getBackend()}`, () => {
  it('classification metrics read tensors of every dtype', async () => {
    const logits = tf.tensor2d([[2, 1, 0], [0, 3, 1], [1, 2, 4], [0, 2, 1]]);
    const y = tf.tensor1d([0, 1, 1, 1], 'int32');
    const labels = tf.argMax(logits, 1);
    expect(await accuracy(logits, y)).toBe(0.75);
    expect(await accuracy(logits, y, { topK: 2 })).toBe(1);
    expect(await confusionMatrix(labels, y, { numClasses: 3 })).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [0, 0, 0],
    ]);
    const pos = tf.tensor1d([true, false, true, false] as unknown as number[], 'bool');
    const scores = tf.tensor1d([0.9, 0.8, 0.7, 0.1]);
    expect(await averagePrecision(scores, pos)).toBeCloseTo(5 / 6, 6);
    tf.dispose([logits, y, labels, pos, scores]);
  });

  it('COCO mAP from tensors, one-shot and streaming', async () => {
    const gt = { boxes: tf.tensor2d([[10, 10, 40, 40], [100, 100, 60, 30]]), imageIds: tf.tensor1d([1, 1], 'int32'), categoryIds: tf.tensor1d([3, 3], 'int32') };
    const dets = {
      boxes: tf.tensor2d([[11, 10, 40, 40], [300, 300, 20, 20]]),
      imageIds: tf.tensor1d([1, 1], 'int32'),
      categoryIds: tf.tensor1d([3, 3], 'int32'),
      scores: tf.tensor1d([0.9, 0.8]),
    };
    const r = await cocoMeanAveragePrecision(gt, dets);
    expect(r.named.AR100).toBeGreaterThan(0.4);
    const m = new MeanAveragePrecision({ boxFormat: 'xywh' });
    await m.update([{ boxes: dets.boxes, scores: dets.scores, labels: dets.categoryIds }], [{ boxes: gt.boxes, labels: gt.categoryIds }]);
    expect(m.compute().stats).toEqual(r.stats);
    tf.dispose([...Object.values(gt), ...Object.values(dets)]);
  });

  it('mIoU, PSNR, SSIM (NCHW converted with core) and FID', async () => {
    const p = tf.tensor3d([[[0, 1], [1, 1]]], undefined, 'int32');
    const t = tf.tensor3d([[[0, 1], [0, 255]]], undefined, 'int32');
    expect((await meanIoU(p, t, { numClasses: 2, ignoreIndex: 255 })).miou).toBeCloseTo(0.5, 12);
    const nchw = tf.tidy(() => tf.reshape(tf.sin(tf.mul(tf.range(0, 2 * 3 * 12 * 12, 1, 'float32'), 0.37)), [2, 3, 12, 12]));
    const x = nchwToNhwc(nchw); // [2, 12, 12, 3]
    expect(await ssim(x, x)).toBeCloseTo(1, 6);
    expect(await psnr(x, x)).toBe(Infinity);
    const f = tf.tensor2d([[0, 0], [1, 0], [0, 1], [1, 1]]);
    const g = tf.tidy(() => tf.add(f, tf.tensor1d([2, 0])));
    expect(await frechetDistance(f, g)).toBeCloseTo(4, 5);
    tf.dispose([p, t, nchw, x, f, g]);
  });
});
