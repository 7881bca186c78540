import { describe, expect, it } from 'vitest';
import { cocoEvaluate, cocoPrecisionRecall, formatCocoSummary, type CocoEvalResult, type CocoGroundTruth } from '@fovea/metrics';

const gt: CocoGroundTruth = {
  images: [{ id: 1 }, { id: 2 }],
  categories: [{ id: 1 }, { id: 2 }],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 40, 40], area: 1600 },
    { id: 2, image_id: 2, category_id: 1, bbox: [10, 10, 40, 40], area: 1600 },
    { id: 3, image_id: 2, category_id: 2, bbox: [100, 100, 20, 20], area: 400 },
  ],
};

describe('formatCocoSummary', () => {
  it("rounds exact ties half to even like Python's format (0.0625 → 0.062, 0.1875 → 0.188)", () => {
    const r = cocoEvaluate(gt, []);
    const fake: CocoEvalResult = { ...r, stats: [0.0625, 0.1875, 0.3125, 0.4375, 0.5625, 0.6875, 0.8125, 0.9375, 0.5375, -1, 1, 0] };
    const vals = formatCocoSummary(fake)
      .split('\n')
      .map((l) => l.split('] = ')[1]);
    expect(vals).toEqual(['0.062', '0.188', '0.312', '0.438', '0.562', '0.688', '0.812', '0.938', '0.537', '-1.000', '1.000', '0.000']);
  });
});

describe('cocoPrecisionRecall', () => {
  it('gives the 101-point interpolated curve per category or averaged', () => {
    const r = cocoEvaluate(gt, [
      { image_id: 1, category_id: 1, bbox: [0, 0, 40, 40], score: 0.9 },
      { image_id: 2, category_id: 1, bbox: [300, 300, 40, 40], score: 0.8 },
      { image_id: 2, category_id: 2, bbox: [100, 100, 20, 20], score: 0.7 },
    ]);
    const c1 = cocoPrecisionRecall(r, { categoryId: 1 });
    expect(c1.recall.length).toBe(101);
    expect(c1.recall[50]).toBe(0.5);
    // category 1: recall 0.5 at precision 1, never more
    expect(c1.precision.slice(0, 51).every((p) => p > 0.999)).toBe(true);
    expect(c1.precision.slice(51).every((p) => p === 0)).toBe(true);
    const c2 = cocoPrecisionRecall(r, { categoryId: 2, iouThreshold: 0.95 });
    expect(c2.precision.every((p) => p > 0.999)).toBe(true);
    const mean = cocoPrecisionRecall(r);
    expect(mean.precision[75]).toBeCloseTo(0.5, 12);
    expect(() => cocoPrecisionRecall(r, { iouThreshold: 0.52 })).toThrow(/cocoPrecisionRecall: options.iouThreshold must be one of/);
    expect(() => cocoPrecisionRecall(r, { categoryId: 9 })).toThrow(/options.categoryId must be an evaluated category id, got 9/);
    expect(() => cocoPrecisionRecall(r, { areaRange: 'tiny' })).toThrow(/options.areaRange must be one of 'all', 'small', 'medium', 'large', got 'tiny'/);
  });
});
