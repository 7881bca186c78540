import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { scoped } from '../../test/helpers.js';
import { TINY_BACKBONE, expectValidDetections, mean, overfit, readDetections, tinyBatch } from '../../test/models.js';
import { disposeDetections } from './detections.js';
import { MaskRCNN, pasteMasks, type MaskRCNNOptions } from './mask-rcnn.js';

const TINY: MaskRCNNOptions = {
  numClasses: 3,
  backbone: TINY_BACKBONE,
  fpnChannels: 16,
  rpn: { anchorSizes: [8, 14], aspectRatios: [1], batchSizePerImage: 64, preNmsTopN: [100, 50], postNmsTopN: [30, 20] },
  roiHeads: { representationSize: 32, batchSizePerImage: 16 },
  maskHead: { poolSize: 4, channels: 8 },
};

/** Bilinear sampling of a 1-D profile with zero padding (grid_sample, align_corners = false): the reference of the paste. */
function sample1d(v: number[], s: number): number {
  const at = (i: number) => (i >= 0 && i < v.length ? v[i]! : 0);
  const i0 = Math.floor(s);
  return (1 - (s - i0)) * at(i0) + (s - i0) * at(i0 + 1);
}

describe('MaskRCNN', () => {
  it('pastes box-relative masks into the image by bilinear sampling with zeros around', () =>
    scoped(async () => {
      // mask columns [0, 1] (right half on), box [0, 0, 8, 8] on an 8 × 8 image: 4 px per mask pixel
      const masks = tf.tensor3d([[[0, 1], [0, 1]]]);
      const pasted = pasteMasks(masks, tf.tensor2d([[0, 0, 8, 8]]), 8, 8);
      const got = await pasted.array();
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const sx = ((x + 0.5) / 8) * 2 - 0.5, sy = ((y + 0.5) / 8) * 2 - 0.5; // mask pixel coordinates
          const want = sample1d([0, 1], sx) * sample1d([1, 1], sy);
          expect(got[0]![y]![x]).toBeCloseTo(want, 5);
        }
      }
      // a constant mask in an off-centre box: 1 inside, fading over the half mask pixel at the box edge, 0 outside
      const ones = pasteMasks(tf.ones([1, 4, 4]) as tf.Tensor3D, tf.tensor2d([[8, 4, 24, 20]]), 32, 32);
      const on = await ones.array();
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const want = sample1d([1, 1, 1, 1], ((x + 0.5 - 8) / 16) * 4 - 0.5) * sample1d([1, 1, 1, 1], ((y + 0.5 - 4) / 16) * 4 - 0.5);
          expect(on[0]![y]![x]).toBeCloseTo(want, 5);
        }
      }
      expect(on[0]![12]![16]).toBe(1);
      expect(on[0]![12]![3]).toBe(0);
    }));

  it('overfits one batch: the five losses halve, the mask loss falls', async () => {
    const batch = tinyBatch(2, 1, true);
    const model = new MaskRCNN({ ...TINY, generator: new Generator(1) });
    const { history, terms } = await overfit(model, batch, 60, 5e-3);
    expect(Object.keys(terms[0]!).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_mask', 'loss_objectness', 'loss_rpn_box_reg']);
    expect(mean(history.slice(-5))).toBeLessThan(history[0]! / 2);
    expect(mean(terms.slice(-5).map((t) => t['loss_mask']!))).toBeLessThan(terms[0]!['loss_mask']! * 0.75);
    batch.dispose();
    model.dispose();
  });

  it('detects boxes with image-size masks, deterministically', async () => {
    const batch = tinyBatch(2, 2, true);
    const model = new MaskRCNN({ ...TINY, generator: new Generator(2) });
    await overfit(model, batch, 5, 3e-3);
    const a = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 4 });
    const b = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 4 });
    for (const d of a) {
      await expectValidDetections(d, 3, 32, 4, 0.01);
      expect(d.masks!.dtype).toBe('float32');
      const m = Array.from(await d.masks!.data());
      expect(m.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    for (let i = 0; i < 2; i++) expect(await readDetections(a[i]!)).toEqual(await readDetections(b[i]!));
    expect(model.maskSize).toBe(8);
    disposeDetections([...a, ...b]);
    batch.dispose();
    model.dispose();
  });

  it('needs masks in the targets and rejects bad mask options', async () => {
    const batch = tinyBatch(1, 3);
    const model = new MaskRCNN({ ...TINY });
    await expect(model.prepareTraining(batch.images, batch.targets)).rejects.toThrow('MaskRCNN.prepareTraining: targets[0].masks must be a tf.Tensor, got undefined');
    expect(() => new MaskRCNN({ ...TINY, maskHead: { poolSize: 0 } })).toThrow('MaskRCNN: options.maskHead.poolSize must be');
    batch.dispose();
    model.dispose();
  });
});
