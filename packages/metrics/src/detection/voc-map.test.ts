import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { VocMeanAveragePrecision, vocAp, vocMeanAveragePrecision, type DetectionPrediction, type DetectionTarget } from '@fovea/metrics';

interface Image {
  gts: { box: number[]; label: number; difficult: number }[];
  dts: { box: number[]; label: number; score: number }[];
}
interface Case {
  images: Image[];
  use_07_metric: boolean;
  pixel_inclusive: boolean;
  iou_threshold: number;
  per_class: { label: number; ap: number | null; npos: number; ndet: number }[];
  map: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/voc.json', import.meta.url), 'utf8')) as { cases: Case[] };

function lists(c: Case): { preds: DetectionPrediction[]; targets: DetectionTarget[] } {
  return {
    preds: c.images.map((im) => ({ boxes: im.dts.map((d) => d.box), scores: im.dts.map((d) => d.score), labels: im.dts.map((d) => d.label) })),
    targets: c.images.map((im) => ({ boxes: im.gts.map((g) => g.box), labels: im.gts.map((g) => g.label), difficult: im.gts.map((g) => g.difficult) })),
  };
}
const opts = (c: Case) => ({ use07Metric: c.use_07_metric, pixelInclusive: c.pixel_inclusive, iouThreshold: c.iou_threshold });

describe('vocAp', () => {
  it('VOC2010+ area and VOC2007 11-point on a small curve (by hand)', async () => {
    expectClose(await vocAp([0.5, 0.5, 1], [1, 0.5, 2 / 3]), 0.5 + 0.5 * (2 / 3), { atol: 1e-15 });
    expectClose(await vocAp([0.5, 0.5, 1], [1, 0.5, 2 / 3], { use07Metric: true }), (6 + 5 * (2 / 3)) / 11, { atol: 1e-15 });
    expect(await vocAp([], [])).toBe(0);
    const r = tf.tensor1d([0.2, 0.4]);
    const p = tf.tensor1d([1, 1]);
    expectClose(await vocAp(r, p), 0.4, { atol: 1e-7 });
    tf.dispose([r, p]);
  });

  it('rejects a decreasing recall and mismatched lengths', async () => {
    await expect(vocAp([0.5, 0.4], [1, 1])).rejects.toThrow('vocAp: recall must be non-decreasing values, got 0.4 after 0.5 at index 1');
    await expect(vocAp([0.5], [1, 1])).rejects.toThrow('vocAp: precision must be the length of recall (1), got shape [2]');
  });
});

describe('vocMeanAveragePrecision (against py-faster-rcnn voc_eval)', () => {
  it('per-class AP and mAP, 07 and area metrics, difficult objects, +1 and continuous boxes', async () => {
    for (const c of fx.cases) {
      const { preds, targets } = lists(c);
      const r = await vocMeanAveragePrecision(preds, targets, opts(c));
      expect(r.perClass.map((x) => x.label)).toEqual(c.per_class.map((x) => x.label));
      r.perClass.forEach((got, i) => {
        const want = c.per_class[i]!;
        expect(got.numPositives).toBe(want.npos);
        expect(got.numDetections).toBe(want.ndet);
        if (want.ap === null) expect(got.ap).toBeNaN();
        else expectClose(got.ap, want.ap, { atol: 1e-12 });
      });
      expectClose(r.map, c.map, { atol: 1e-12 });
    }
  });

  it('streams over batches of images', async () => {
    const c = fx.cases[0]!;
    const { preds, targets } = lists(c);
    const m = new VocMeanAveragePrecision(opts(c));
    for (let i = 0; i < preds.length; i += 2) await m.update(preds.slice(i, i + 2), targets.slice(i, i + 2));
    expectClose(m.compute().map, c.map, { atol: 1e-12 });
    m.reset();
    expect(m.compute()).toEqual({ map: NaN, perClass: [] });
  });

  it('rejects bad input, and a bad batch adds nothing', async () => {
    const m = new VocMeanAveragePrecision();
    const good = { boxes: [[0, 0, 10, 10]], scores: [0.9], labels: [1] };
    await m.update([good], [{ boxes: [[0, 0, 10, 10]], labels: [1] }]);
    await expect(m.update([good, { ...good, labels: [1.5] }], [{ boxes: [], labels: [] }, { boxes: [], labels: [] }])).rejects.toThrow(
      'VocMeanAveragePrecision.update: preds[1].labels must be integer labels, got 1.5 at index 0',
    );
    expect(m.compute().map).toBe(1);
    await expect(vocMeanAveragePrecision([good], [{ boxes: [[0, 0, 10, 10]], labels: [1], difficult: [3] }])).rejects.toThrow(
      /targets\[0\]\.difficult must be booleans \(or 0\/1\), got 3/,
    );
    expect(() => new VocMeanAveragePrecision({ iouThreshold: 2 })).toThrow(/options.iouThreshold must be a finite number >= 0 <= 1, got 2/);
  });
});
