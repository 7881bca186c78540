import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { scoped } from '../../test/helpers.js';
import { TINY_BACKBONE, expectValidDetections, mean, overfit, readDetections, tinyBatch } from '../../test/models.js';
import { disposeDetections } from './detections.js';
import { FastRCNN } from './fast-rcnn.js';
import { selectiveSearchProposer, slidingWindowProposer } from './proposers.js';
import { RCNN, SlidingWindowDetector } from './rcnn.js';

const WINDOWS: [number, number][] = [[8, 8], [12, 12], [16, 16]];
const CNN = { numClasses: 3, widths: [8, 16], hidden: 32, cropSize: 16 };

describe('R-CNN, the sliding-window detector and Fast R-CNN', () => {
  it('proposers give one box set per image', async () => {
    const images = tf.zeros([2, 32, 32, 3]) as tf.Tensor4D;
    const windows = await slidingWindowProposer({ windowSizes: [[16, 16]], strideFraction: 0.5 })(images);
    expect(windows).toHaveLength(2);
    expect(windows[0]!.shape).toEqual([9, 4]);
    expect(await windows[1]!.array()).toEqual(await windows[0]!.array());
    const batch = tinyBatch(1, 5);
    const [ss] = await selectiveSearchProposer()(batch.images);
    expect(ss!.shape[1]).toBe(4);
    expect(ss!.shape[0]).toBeGreaterThan(0);
    tf.dispose([images, ...windows, ss!]);
    batch.dispose();
  });

  it('R-CNN warps proposals (with context) to fixed-size crops', () =>
    scoped(async () => {
      const model = new RCNN({ ...CNN, contextPadding: 0 });
      // a horizontal ramp image: a crop of columns [8, 24) resampled to 16 px is the ramp 8.5 … 23.5
      const ramp = tf.tile(tf.reshape(tf.range(0.5, 32.5), [1, 1, 32, 1]), [1, 32, 1, 3]);
      const crops = model.crops(ramp, tf.tensor2d([[0, 8, 0, 24, 32]]));
      expect(crops.shape).toEqual([1, 16, 16, 3]);
      const row = Array.from(await tf.slice(crops, [0, 0, 0, 0], [1, 1, 16, 1]).data());
      row.forEach((v, i) => expect(v).toBeCloseTo(8.5 + i, 4));
      model.dispose();
    }));

  it('R-CNN overfits one batch: the total loss halves, classification falls 2.5-fold', async () => {
    const batch = tinyBatch(2, 1);
    const model = new RCNN({ ...CNN, proposer: slidingWindowProposer({ windowSizes: WINDOWS, strideFraction: 0.25 }), generator: new Generator(1) });
    const { history, terms } = await overfit(model, batch, 60, 5e-3);
    expect(Object.keys(terms[0]!).sort()).toEqual(['loss_box_reg', 'loss_classifier']);
    expect(mean(history.slice(-5))).toBeLessThan(history[0]! / 2);
    expect(mean(terms.slice(-5).map((t) => t['loss_classifier']!))).toBeLessThan(terms[0]!['loss_classifier']! / 2.5);
    batch.dispose();
    model.dispose();
  });

  it('the sliding-window detector and R-CNN with selective search detect with valid shapes, deterministically', async () => {
    const batch = tinyBatch(2, 2);
    for (const model of [
      new SlidingWindowDetector({ ...CNN, windowSizes: WINDOWS, generator: new Generator(2) }),
      new RCNN({ ...CNN, generator: new Generator(2) }),
    ]) {
      const a = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 6 });
      const b = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 6 });
      for (const d of a) await expectValidDetections(d, 3, 32, 6, 0.01);
      for (let i = 0; i < 2; i++) expect(await readDetections(a[i]!)).toEqual(await readDetections(b[i]!));
      disposeDetections([...a, ...b]);
      model.dispose();
    }
    batch.dispose();
  });

  it('Fast R-CNN with RoIPool overfits one batch and detects', async () => {
    const batch = tinyBatch(2, 1);
    const model = new FastRCNN({
      numClasses: 3,
      backbone: TINY_BACKBONE,
      fpnChannels: 16,
      roiHeads: { pooler: 'pool', representationSize: 32, batchSizePerImage: 16 },
      proposer: slidingWindowProposer({ windowSizes: WINDOWS, strideFraction: 0.25 }),
      generator: new Generator(1),
    });
    const f = model.forward(batch.images);
    expect(f.shape).toEqual([2, 8, 8, 16]);
    f.dispose();
    const { history, terms } = await overfit(model, batch, 60, 5e-3);
    expect(mean(history.slice(-5))).toBeLessThan(history[0]! / 2);
    expect(mean(terms.slice(-5).map((t) => t['loss_classifier']!))).toBeLessThan(terms[0]!['loss_classifier']! / 2.5);
    const dets = await model.detect(batch.images, { maxDetections: 3 });
    for (const d of dets) await expectValidDetections(d, 3, 32, 3, 0.05);
    disposeDetections(dets);
    batch.dispose();
    model.dispose();
  });

  it('rejects bad options', () => {
    expect(() => new RCNN({ ...CNN, cropSize: 2 })).toThrow('RCNN: options.cropSize must be at least 4 for 2 pooling stages, got 2');
    expect(() => new RCNN({ ...CNN, proposer: 3 as never })).toThrow('RCNN: options.proposer must be a function');
    expect(() => new SlidingWindowDetector({ ...CNN, windowSizes: [] })).toThrow('slidingWindows: options.windowSizes must be a non-empty list');
    expect(() => new FastRCNN({ numClasses: 3, featureLevel: 9 })).toThrow('FastRCNN: options.featureLevel must be');
  });
});
