import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { PanopticQuality, panopticQuality, type PanopticPrediction, type PanopticTarget } from '@fovea/metrics';

interface Image {
  pred_segments: number[][];
  pred_categories: number[];
  gt_segments: number[][];
  gt_categories: number[];
  gt_iscrowd: boolean[];
}
interface Scores {
  pq: number | null;
  sq: number | null;
  rq: number | null;
  n: number;
}
interface Case {
  images: Image[];
  num_classes: number;
  things: number[];
  result: { all: Scores; things: Scores; stuff: Scores; per_class: Record<'pq' | 'sq' | 'rq', (number | null)[]> };
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { panoptic: Case[] };
const split = (im: Image): [PanopticPrediction, PanopticTarget] => [
  { segments: im.pred_segments, categories: im.pred_categories },
  { segments: im.gt_segments, categories: im.gt_categories, iscrowd: im.gt_iscrowd },
];
const num = (v: number | null): number => (v === null ? NaN : v);

describe('panopticQuality (against a panopticapi transcription)', () => {
  it('PQ/SQ/RQ overall, things, stuff and per class, over several images', async () => {
    for (const c of fx.panoptic) {
      const pairs = c.images.map(split);
      const r = await panopticQuality(
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
        { numClasses: c.num_classes, things: c.things },
      );
      for (const [got, want] of [
        [r, c.result.all],
        [r.things, c.result.things],
        [r.stuff, c.result.stuff],
      ] as const) {
        expectClose([got.pq, got.sq, got.rq], [num(want.pq), num(want.sq), num(want.rq)], { atol: 1e-12 });
        expect(got.n).toBe(want.n);
      }
      for (const k of ['pq', 'sq', 'rq'] as const) {
        expect(r.perClass[k].map(Number.isNaN)).toEqual(c.result.per_class[k].map((x) => x === null));
        expectClose(r.perClass[k].filter((x) => !Number.isNaN(x)), c.result.per_class[k].filter((x): x is number => x !== null), { atol: 1e-12 });
      }
    }
  });

  it('streams image by image (tensors) to the same result', async () => {
    const c = fx.panoptic[1]!;
    const m = new PanopticQuality({ numClasses: c.num_classes, things: c.things });
    for (const im of c.images) {
      const ps = tf.tensor2d(im.pred_segments, undefined, 'int32');
      const gs = tf.tensor2d(im.gt_segments, undefined, 'int32');
      await m.update({ segments: ps, categories: im.pred_categories }, { segments: gs, categories: im.gt_categories, iscrowd: im.gt_iscrowd });
      tf.dispose([ps, gs]);
    }
    expectClose(m.compute().pq, c.result.all.pq!, { atol: 1e-12 });
    m.reset();
    expect(m.compute().n).toBe(0);
  });

  it('rejects segments without pixels, unknown categories and mismatched maps', async () => {
    const opts = { numClasses: 2, things: [1] };
    await expect(panopticQuality({ segments: [[0, 0]], categories: [0, 1] }, { segments: [[0, 0]], categories: [0] }, opts)).rejects.toThrow(
      'panopticQuality: preds.segments must be pixels for every listed segment 0..1, got no pixel of segment 1',
    );
    await expect(panopticQuality({ segments: [[0, 0]], categories: [2] }, { segments: [[0, 0]], categories: [0] }, opts)).rejects.toThrow(
      /preds.categories must be labels in \[0, 2\), got 2/,
    );
    await expect(panopticQuality({ segments: [[0, 3]], categories: [0] }, { segments: [[0, 0]], categories: [0] }, opts)).rejects.toThrow(
      /preds.segments must be labels in \[0, 1\) or the ignore index -1, got 3/,
    );
    await expect(panopticQuality({ segments: [[0, 0]], categories: [0] }, { segments: [[0], [0]], categories: [0] }, opts)).rejects.toThrow(
      'panopticQuality: targets.segments must be the shape of preds.segments [1, 2], got shape [2, 1]',
    );
    expect(() => new PanopticQuality({ numClasses: 2, things: [5] })).toThrow(/options.things\[0\] must be an integer >= 0 <= 1, got 5/);
  });
});
