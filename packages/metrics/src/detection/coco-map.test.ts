import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import {
  MeanAveragePrecision,
  cocoEvaluate,
  cocoMeanAveragePrecision,
  type CocoGroundTruth,
  type CocoResult,
  type DetectionPrediction,
  type DetectionTarget,
} from '@fovea/metrics';

interface Scene {
  name: string;
  gt: CocoGroundTruth;
  dt: CocoResult[];
  params: unknown;
  stats: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/coco.json', import.meta.url), 'utf8')) as { scenes: Scene[] };
const tight = { atol: 1e-12, rtol: 1e-12 };

/** The scene as the library sees it after a box/score transform (for xyxy round trips and float32 tensors). */
function transformed(s: Scene, box: (b: number[]) => number[], num: (v: number) => number = (v) => v): [CocoGroundTruth, CocoResult[]] {
  const gt = { ...s.gt, annotations: s.gt.annotations.map((a) => ({ ...a, bbox: box(a.bbox), area: num(a.area!) })) };
  return [gt, s.dt.map((d) => ({ ...d, bbox: box(d.bbox), score: num(d.score) }))];
}
/** xywh → xyxy → xywh as the library converts (w = x2 − x1). */
const roundTrip = (b: number[]): number[] => [b[0]!, b[1]!, b[0]! + b[2]! - b[0]!, b[1]! + b[3]! - b[1]!];
const f32Box = (b: number[]): number[] => {
  const [x1, y1, x2, y2] = [Math.fround(b[0]!), Math.fround(b[1]!), Math.fround(b[0]! + b[2]!), Math.fround(b[1]! + b[3]!)];
  return [x1, y1, x2 - x1, y2 - y1];
};

/** A scene whose images and categories all appear in its annotations or results (the array API's dataset). */
function arrays(s: Scene) {
  const a = s.gt.annotations;
  return {
    gt: {
      boxes: a.map((x) => x.bbox),
      imageIds: a.map((x) => x.image_id),
      categoryIds: a.map((x) => x.category_id),
      iscrowd: a.map((x) => Boolean(x.iscrowd)),
      area: a.map((x) => x.area!),
    },
    dets: { boxes: s.dt.map((d) => d.bbox), imageIds: s.dt.map((d) => d.image_id), categoryIds: s.dt.map((d) => d.category_id), scores: s.dt.map((d) => d.score) },
  };
}

/** Per-image lists, images numbered by ascending id (MeanAveragePrecision numbers them in arrival order). */
function perImage(s: Scene, format: 'xyxy' | 'xywh'): { preds: DetectionPrediction[]; targets: DetectionTarget[] } {
  const ids = s.gt.images.map((im) => im.id).sort((x, y) => x - y);
  const conv = (b: number[]): number[] => (format === 'xywh' ? b : [b[0]!, b[1]!, b[0]! + b[2]!, b[1]! + b[3]!]);
  const preds = ids.map((id) => {
    const d = s.dt.filter((x) => x.image_id === id);
    return { boxes: d.map((x) => conv(x.bbox)), scores: d.map((x) => x.score), labels: d.map((x) => x.category_id) };
  });
  const targets = ids.map((id) => {
    const g = s.gt.annotations.filter((x) => x.image_id === id);
    return { boxes: g.map((x) => conv(x.bbox)), labels: g.map((x) => x.category_id), iscrowd: g.map((x) => Number(x.iscrowd ?? 0)), area: g.map((x) => x.area!) };
  });
  return { preds, targets };
}

describe('cocoMeanAveragePrecision (arrays / tensors)', () => {
  it('equals pycocotools on scenes whose images and categories all carry data', async () => {
    for (const s of fx.scenes.filter((x) => ['basic', 'ties', 'no_crowd', 'big_image'].includes(x.name))) {
      const { gt, dets } = arrays(s);
      const r = await cocoMeanAveragePrecision(gt, dets);
      // the array API's dataset has only the images/categories that appear: same stats here
      expectClose(r.stats, cocoEvaluate(s.gt, s.dt).stats, tight);
      expectClose(r.stats, s.stats, tight);
    }
  });

  it('reads tensors (float32 boxes, int32 ids, bool crowd) and converts xyxy', async () => {
    const s = fx.scenes[0]!;
    const { gt, dets } = arrays(s);
    const xyxy = (b: number[][]): number[][] => b.map((v) => [v[0]!, v[1]!, v[0]! + v[2]!, v[1]! + v[3]!]);
    const t = {
      gt: {
        boxes: tf.tensor2d(xyxy(gt.boxes)),
        imageIds: tf.tensor1d(gt.imageIds, 'int32'),
        categoryIds: tf.tensor1d(gt.categoryIds, 'int32'),
        iscrowd: tf.tensor1d(gt.iscrowd as unknown as number[], 'bool'),
        area: tf.tensor1d(gt.area),
      },
      dets: { boxes: tf.tensor2d(xyxy(dets.boxes)), imageIds: tf.tensor1d(dets.imageIds, 'int32'), categoryIds: tf.tensor1d(dets.categoryIds, 'int32'), scores: tf.tensor1d(dets.scores) },
    };
    const r = await cocoMeanAveragePrecision(t.gt, t.dets, { boxFormat: 'xyxy' });
    // the same evaluation on the float32-rounded values the tensors hold
    expectClose(r.stats, cocoEvaluate(...transformed(s, f32Box, Math.fround)).stats, tight);
    tf.dispose([...Object.values(t.gt), ...Object.values(t.dets)]);
  });

  it('handles empty inputs', async () => {
    const r = await cocoMeanAveragePrecision({ boxes: [], imageIds: [], categoryIds: [] }, { boxes: [], imageIds: [], categoryIds: [], scores: [] });
    expect(r.stats).toEqual(new Array(12).fill(-1));
    const noBoxes = tf.zeros([0, 4]);
    const none = await cocoMeanAveragePrecision({ boxes: [[0, 0, 10, 10]], imageIds: [1], categoryIds: [1] }, { boxes: noBoxes, imageIds: [], categoryIds: [], scores: [] });
    expect(none.named.AP).toBe(0);
    noBoxes.dispose();
  });

  it('rejects bad arrays', async () => {
    const gt = { boxes: [[0, 0, 10, 10]], imageIds: [1], categoryIds: [1] };
    const dets = { boxes: [[0, 0, 10, 10]], imageIds: [1], categoryIds: [1], scores: [0.5] };
    await expect(cocoMeanAveragePrecision(gt, { ...dets, scores: [NaN] })).rejects.toThrow('cocoMeanAveragePrecision: dets.scores must be finite values, got NaN at index 0');
    await expect(cocoMeanAveragePrecision(gt, { ...dets, boxes: [[0, 0, -3, 10]] })).rejects.toThrow(
      'cocoMeanAveragePrecision: dets.boxes must be boxes with width and height >= 0, got [0, 0, -3, 10] at row 0',
    );
    await expect(cocoMeanAveragePrecision(gt, { ...dets, imageIds: [1, 2] })).rejects.toThrow(/dets.imageIds must be shape \[1\], got shape \[2\]/);
    await expect(cocoMeanAveragePrecision({ ...gt, boxes: [[0, 0, 1]] }, dets)).rejects.toThrow(/gt.boxes must be shape \[N, 4\], got shape \[1, 3\]/);
    await expect(cocoMeanAveragePrecision({ ...gt, categoryIds: [1.5] }, dets)).rejects.toThrow(/gt.categoryIds must be integer labels, got 1.5/);
  });
});

describe('MeanAveragePrecision (streaming, per image)', () => {
  it('batches of images give the pycocotools statistics (xyxy and xywh)', async () => {
    for (const s of fx.scenes.filter((x) => ['basic', 'ties', 'big_image'].includes(x.name))) {
      for (const format of ['xywh', 'xyxy'] as const) {
        const { preds, targets } = perImage(s, format);
        const m = new MeanAveragePrecision({ boxFormat: format });
        for (let i = 0; i < preds.length; i += 3) await m.update(preds.slice(i, i + 3), targets.slice(i, i + 3));
        // xyxy input: the library's w = x2 − x1 can differ from the JSON's w by an ulp, which flips the
        // scene's detections placed exactly at IoU 0.5; compare with the same boxes through cocoEvaluate
        const want = format === 'xywh' ? s.stats : cocoEvaluate(...transformed(s, roundTrip)).stats;
        expectClose(m.compute().stats, want, tight);
      }
    }
  });

  it('takes tensors per image, keeps call order when updates are not awaited one by one, and resets', async () => {
    const s = fx.scenes[0]!;
    const { preds, targets } = perImage(s, 'xyxy');
    const asTensors = (p: DetectionPrediction): DetectionPrediction => ({
      boxes: tf.tensor2d(p.boxes as number[][], [(p.labels as number[]).length, 4], 'float32'),
      scores: tf.tensor1d(p.scores as number[]),
      labels: tf.tensor1d(p.labels as number[], 'int32'),
    });
    const m = new MeanAveragePrecision();
    const tp = preds.map(asTensors);
    await Promise.all(tp.map((p, i) => m.update([p], [targets[i]!])));
    const [gt32, dt32] = transformed(s, (b) => {
      const [x1, y1, x2, y2] = [Math.fround(b[0]!), Math.fround(b[1]!), Math.fround(b[0]! + b[2]!), Math.fround(b[1]! + b[3]!)];
      return [x1, y1, x2 - x1, y2 - y1];
    });
    // targets stay float64 arrays here: only the predictions are float32
    const gtExact = { ...gt32, annotations: gt32.annotations.map((a, i) => ({ ...a, bbox: roundTrip(s.gt.annotations[i]!.bbox) })) };
    expectClose(m.compute().stats, cocoEvaluate(gtExact, dt32.map((d) => ({ ...d, score: Math.fround(d.score) }))).stats, tight);
    tf.dispose(tp.flatMap((p) => [p.boxes, p.scores, p.labels] as tf.Tensor[]));
    m.reset();
    expect(m.compute().stats[0]).toBe(-1);
  });

  it('rejects mismatched lists and bad boxes', async () => {
    const m = new MeanAveragePrecision();
    await expect(m.update([], [{ boxes: [], labels: [] }])).rejects.toThrow('MeanAveragePrecision.update: targets must be 0 entries (one per image of preds), got 1');
    await expect(m.update([{ boxes: [[10, 10, 5, 20]], scores: [1], labels: [0] }], [{ boxes: [], labels: [] }])).rejects.toThrow(
      'MeanAveragePrecision.update: preds[0].boxes must be boxes with x2 >= x1 and y2 >= y1, got [10, 10, 5, 20] at row 0',
    );
    await expect(m.update([{ boxes: [[0, 0, 5, 5]], scores: [1, 2], labels: [0] }], [{ boxes: [], labels: [] }])).rejects.toThrow(
      /preds\[0\]\.scores must be shape \[1\] \(one per predicted box\), got shape \[2\]/,
    );
    expect(() => new MeanAveragePrecision({ boxFormat: 'yxyx' as 'xyxy' })).toThrow(/options.boxFormat must be one of 'xyxy', 'xywh', 'cxcywh'/);
  });
});
