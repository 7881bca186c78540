import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { TINY_BACKBONE, expectValidDetections, overfit, readDetections, tinyBatch } from '../../test/models.js';
import { disposeDetections } from './detections.js';
import { FCOS, type FCOSOptions } from './fcos.js';
import { assignFcosTargets } from './_internal/fcos-targets.js';

const TINY: FCOSOptions = { numClasses: 3, backbone: TINY_BACKBONE, fpnChannels: 16, headConvs: 1, groupNorm: false };

describe('FCOS', () => {
  it('assigns each location to the smallest object around it, within 1.5 strides of its centre', async () => {
    // one 4×4 level of stride 4: location centres at 2, 6, 10, 14
    const big = { boxes: tf.tensor2d([[0, 0, 12, 12], [4, 4, 8, 8]]), labels: tf.tensor1d([1, 3], 'int32') };
    const t = await assignFcosTargets([{ h: 4, w: 4, stride: 4 }], [big], 3, 1.5);
    const fg = Array.from(await t.foreground.data());
    const cls = await t.classes.array();
    const ctr = Array.from(await t.centerness.data());
    const boxes = await t.boxes.array();
    // the big box owns the 3×3 locations at 2, 6, 10 except (6, 6), which the small (class 3) one takes
    const expectedFg = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0];
    expect(fg).toEqual(expectedFg);
    expect(t.numForeground).toBe(9);
    expect(cls[5]).toEqual([0, 0, 1]);
    expect(boxes[5]).toEqual([4, 4, 8, 8]);
    expect(cls[0]).toEqual([1, 0, 0]);
    expect(boxes[0]).toEqual([0, 0, 12, 12]);
    expect(ctr[5]).toBeCloseTo(1, 6); // the small box's centre
    expect(ctr[0]).toBeCloseTo(Math.sqrt((2 / 10) * (2 / 10)), 6); // l = t = 2, r = b = 10
    expect(ctr[1]).toBeCloseTo(Math.sqrt(1 * (2 / 10)), 6); // l = r = 6 from x = 6, t = 2, b = 10
    expect(cls[15]).toEqual([0, 0, 0]);
    tf.dispose([big.boxes, big.labels, t.classes, t.boxes, t.foreground, t.centerness]);
  });

  it('sends objects to levels by size: far side distances in (4s, 8s)', async () => {
    // 64 px, levels of stride 4 (16×16, distances < 32) and 8 (8×8, distances > 32)
    const grids = [{ h: 16, w: 16, stride: 4 }, { h: 8, w: 8, stride: 8 }];
    const tgt = { boxes: tf.tensor2d([[0, 0, 64, 64], [20, 20, 36, 36]]), labels: tf.tensor1d([2, 1], 'int32') };
    const t = await assignFcosTargets(grids, [tgt], 3, 10);
    const cls = (await t.classes.array()) as number[][];
    const fine = cls.slice(0, 256), coarse = cls.slice(256);
    // the 64 px box is farther than 32 px from every location's far side: coarse level only
    expect(coarse.every((c) => c[1] === 1)).toBe(true);
    expect(fine.some((c) => c[1] === 1)).toBe(false);
    // the 16 px box (inside it, smaller) takes the fine locations inside it
    expect(fine.filter((c) => c[0] === 1)).toHaveLength(16);
    tf.dispose([tgt.boxes, tgt.labels, t.classes, t.boxes, t.foreground, t.centerness]);
  });

  it('has per-location outputs of the right shapes', () => {
    const model = new FCOS({ ...TINY, levels: [1, 2], generator: new Generator(0) });
    const x = tf.zeros([2, 32, 32, 3]);
    const out = model.forward(x);
    expect(model.strides).toEqual([4, 8]);
    expect(out.classLogits.shape).toEqual([2, 64 + 16, 3]);
    expect(out.boxRegression.shape).toEqual([2, 80, 4]);
    expect(out.centerness.shape).toEqual([2, 80]);
    tf.dispose([x, out.classLogits, out.boxRegression, out.centerness]);
    model.dispose();
  });

  it('overfits one batch: the total of focal, GIoU and centerness losses falls below half', async () => {
    const batch = tinyBatch(2, 1);
    const model = new FCOS({ ...TINY, generator: new Generator(1) });
    const { history, terms } = await overfit(model, batch, 80, 2e-3);
    expect(Object.keys(terms[0]!).sort()).toEqual(['loss_box_giou', 'loss_centerness', 'loss_classifier']);
    expect(history[history.length - 1]).toBeLessThan(history[0]! / 2);
    expect(terms[terms.length - 1]!['loss_classifier']).toBeLessThan(terms[0]!['loss_classifier']! / 3);
    batch.dispose();
    model.dispose();
  });

  it('detects with valid shapes, deterministically', async () => {
    const batch = tinyBatch(3, 2);
    const model = new FCOS({ ...TINY, levels: [1, 2], generator: new Generator(2) });
    const a = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 7 });
    const b = await model.detect(batch.images, { scoreThreshold: 0.01, maxDetections: 7 });
    expect(a).toHaveLength(3);
    for (const d of a) await expectValidDetections(d, 3, 32, 7, 0.01);
    for (let i = 0; i < 3; i++) expect(await readDetections(a[i]!)).toEqual(await readDetections(b[i]!));
    disposeDetections([...a, ...b]);
    batch.dispose();
    model.dispose();
  });

  it('rejects bad options and targets', async () => {
    expect(() => new FCOS({ numClasses: 3, levels: [2, 1] })).toThrow('FCOS: options.levels[1] must be');
    const model = new FCOS({ ...TINY });
    const images = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const targets = [{ boxes: tf.tensor2d([[10, 10, 5, 20]]), labels: tf.tensor1d([1], 'int32') }];
    await expect(model.prepareTraining(images, targets as never)).rejects.toThrow('FCOS.prepareTraining: targets[0].boxes must be finite [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got [10, 10, 5, 20] at row 0');
    tf.dispose([images, targets[0]!.boxes, targets[0]!.labels]);
    model.dispose();
  });
});
