import { readFileSync } from 'node:fs';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import {
  CocoEvaluator,
  cocoEvaluate,
  formatCocoSummary,
  type CocoEvalOptions,
  type CocoGroundTruth,
  type CocoResult,
} from '@fovea/metrics';

/** Scenes evaluated by pycocotools itself (fixtures/gen_coco_reference.py). */
interface Scene {
  name: string;
  gt: CocoGroundTruth;
  dt: CocoResult[];
  params: Record<string, unknown> | null;
  stats: number[];
  summary: string;
  precision?: number[];
  recall?: number[];
  scores?: number[];
  counts?: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/coco.json', import.meta.url), 'utf8')) as { scenes: Scene[] };

/** pycocotools `Params` fields → {@link CocoEvalOptions}. */
function options(p: Record<string, unknown> | null): CocoEvalOptions {
  if (!p) return {};
  const o: CocoEvalOptions = {};
  if (p['useCats'] !== undefined) o.useCats = Boolean(p['useCats']);
  if (p['maxDets']) o.maxDets = p['maxDets'] as number[];
  if (p['iouThrs']) o.iouThresholds = p['iouThrs'] as number[];
  if (p['recThrs']) o.recallThresholds = p['recThrs'] as number[];
  if (p['imgIds']) o.imgIds = p['imgIds'] as number[];
  if (p['catIds']) o.catIds = p['catIds'] as number[];
  if (p['areaRng']) {
    const labels = p['areaRngLbl'] as string[];
    o.areaRanges = (p['areaRng'] as [number, number][]).map((range, i) => ({ label: labels[i]!, range }));
  }
  return o;
}

const tight = { atol: 1e-12, rtol: 1e-12 };

describe('cocoEvaluate (against pycocotools)', () => {
  for (const s of fx.scenes) {
    it(`${s.name}: the 12 statistics`, () => {
      const r = cocoEvaluate(s.gt, s.dt, options(s.params));
      expectClose(r.stats, s.stats, tight);
      expect(r.named.AP).toBe(r.stats[0]);
      expect(r.named.ARl).toBe(r.stats[11]);
    });
  }

  it('eval arrays: precision [T, R, K, A, M], recall [T, K, A, M], scores, equal element by element', () => {
    const full = fx.scenes.filter((s) => s.precision);
    expect(full.length).toBeGreaterThanOrEqual(3);
    for (const s of full) {
      const r = cocoEvaluate(s.gt, s.dt, options(s.params));
      expect([...r.counts]).toEqual(s.counts);
      expectClose(r.precision, s.precision!, tight);
      expectClose(r.recall, s.recall!, tight);
      expectClose(r.scores, s.scores!, tight);
    }
  });

  it("prints pycocotools' summary character for character", () => {
    for (const s of fx.scenes) expect(formatCocoSummary(cocoEvaluate(s.gt, s.dt, options(s.params)))).toBe(s.summary);
  });

  it('per-category AP agrees with the precision array', () => {
    const s = fx.scenes[0]!;
    const r = cocoEvaluate(s.gt, s.dt);
    const withGt = r.perCategory.filter((c) => c.AP >= 0);
    expect(r.perCategory.map((c) => c.categoryId)).toEqual(s.gt.categories.map((c) => c.id).sort((a, b) => a - b));
    expect(r.perCategory[0]!.name).toBe(s.gt.categories.find((c) => c.id === r.perCategory[0]!.categoryId)!.name);
    expectClose(withGt.reduce((a, c) => a + c.AP, 0) / withGt.length, r.stats[0]!, { atol: 1e-12 });
  });

  it('handles no detections at all (pycocotools cannot load an empty list): AP 0, AR 0', () => {
    const s = fx.scenes[0]!;
    const r = cocoEvaluate(s.gt, []);
    for (const i of [0, 1, 2, 6, 7, 8]) expect(r.stats[i]).toBe(0);
  });

  it('rejects bad records with a FoveaError naming them', () => {
    const gt: CocoGroundTruth = {
      images: [{ id: 1 }],
      categories: [{ id: 1 }],
      annotations: [{ id: 5, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], area: 100 }],
    };
    const det = (o: Partial<CocoResult>): CocoResult[] => [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.5, ...o }];
    expect(() => cocoEvaluate(gt, det({ bbox: [0, 0, -1, 10] }))).toThrow(
      'cocoEvaluate: results[0].bbox must be a box with width and height >= 0, got [0, 0, -1, 10] (image_id 1)',
    );
    expect(() => cocoEvaluate(gt, det({ image_id: 2 }))).toThrow('cocoEvaluate: results[0].image_id must be the id of an image of the ground truth, got 2');
    expect(() => cocoEvaluate(gt, det({ category_id: 9 }))).toThrow(/results\[0\]\.category_id must be the id of a category of the ground truth, got 9/);
    expect(() => cocoEvaluate(gt, det({ score: NaN }))).toThrow('cocoEvaluate: results[0].score must be a finite number, got NaN');
    expect(() => cocoEvaluate(gt, det({ bbox: [0, 0, 1] }))).toThrow(/results\[0\]\.bbox must be \[x, y, width, height\] of 4 finite numbers/);
    const bad = (a: Record<string, unknown>): CocoGroundTruth => ({ ...gt, annotations: [{ ...gt.annotations[0]!, ...a } as never] });
    expect(() => cocoEvaluate(bad({ bbox: [0, 0, 10, -2] }), [])).toThrow(
      'cocoEvaluate: gt.annotations[0].bbox must be a box with width and height >= 0, got [0, 0, 10, -2] (annotation id 5)',
    );
    expect(() => cocoEvaluate(bad({ image_id: 3 }), [])).toThrow('cocoEvaluate: gt.annotations[0].image_id must be the id of an image listed in gt.images, got 3 (annotation id 5)');
    expect(() => cocoEvaluate(bad({ category_id: 4 }), [])).toThrow(/gt.annotations\[0\]\.category_id must be the id of a category listed in gt.categories, got 4/);
    expect(() => cocoEvaluate(bad({ area: -1 }), [])).toThrow(/gt.annotations\[0\]\.area must be a finite number >= 0, got -1/);
    expect(() => cocoEvaluate(bad({ iscrowd: 2 }), [])).toThrow(/gt.annotations\[0\]\.iscrowd must be 0, 1 or a boolean, got 2/);
    const dup = { ...gt, annotations: [gt.annotations[0]!, { ...gt.annotations[0]! }] };
    expect(() => cocoEvaluate(dup, [])).toThrow('cocoEvaluate: gt.annotations[1].id must be a unique annotation id, got 5, also used by gt.annotations[0]');
    expect(() => cocoEvaluate({ images: [], categories: [] } as unknown as CocoGroundTruth, [])).toThrow(
      'cocoEvaluate: gt.annotations must be an array, got undefined (field missing)',
    );
    expect(() => cocoEvaluate(gt, {} as CocoResult[])).toThrow(/cocoEvaluate: results must be an array/);
    expect(() => cocoEvaluate(gt, [], { maxDets: [1, 10] })).toThrow(/options.maxDets must be 3 values/);
    expect(() => cocoEvaluate(gt, [], { iouThresholds: [0.5, 1.5] })).toThrow(/options.iouThresholds\[1\] must be a finite number >= 0 <= 1, got 1.5/);
  });

  it('uses the box area when an annotation has no area field, and accepts boolean iscrowd', () => {
    const gt: CocoGroundTruth = {
      images: [{ id: 1 }],
      categories: [{ id: 1 }],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] },
        { id: 2, image_id: 1, category_id: 1, bbox: [50, 50, 100, 100], iscrowd: true },
      ],
    };
    const r = cocoEvaluate(gt, [
      { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [60, 60, 20, 20], score: 0.8 }, // inside the crowd: ignored
    ]);
    expect(r.named.AP).toBeCloseTo(1, 15); // precision 1/(1 + 2.2e-16), as pycocotools
    expect(r.named.APs).toBeCloseTo(1, 15); // area 100 (the box's) is small
    expect(r.named.APm).toBe(-1);
  });
});

describe('CocoEvaluator (streaming)', () => {
  it('batches of results give the one-shot statistics; reset keeps the ground truth', async () => {
    const s = fx.scenes[1]!;
    const ev = new CocoEvaluator(s.gt);
    for (let i = 0; i < s.dt.length; i += 10) await ev.update(s.dt.slice(i, i + 10));
    expectClose(ev.compute().stats, s.stats, tight);
    ev.reset();
    expect(ev.compute().stats[0]).toBe(0);
    await ev.update(s.dt);
    expectClose(ev.compute().stats, s.stats, tight);
  });

  it('a bad batch adds nothing', async () => {
    const s = fx.scenes[0]!;
    const ev = new CocoEvaluator(s.gt);
    await ev.update(s.dt);
    const bad = [...s.dt.slice(0, 3), { ...s.dt[0]!, score: Number.POSITIVE_INFINITY }];
    await expect(ev.update(bad)).rejects.toThrow('CocoEvaluator.update: results[3].score must be a finite number, got Infinity');
    expectClose(ev.compute().stats, s.stats, tight);
  });
});
