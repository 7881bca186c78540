import { readFileSync } from 'node:fs';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { PrecisionRecallF1, precisionRecallF1, type ClassAverage, type PerClassScores } from '@fovea/metrics';

interface Case {
  case: string;
  preds: number[];
  targets: number[];
  num_classes: number;
  average: ClassAverage;
  zero_division: 0 | 1;
  beta: number;
  precision: number | number[];
  recall: number | number[];
  f1: number | number[];
  support: number[] | null;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/sklearn.json', import.meta.url), 'utf8')) as { precision_recall_f1: Case[] };

describe('precisionRecallF1', () => {
  it('matches scikit-learn for every average, zero_division 0/1 and beta', async () => {
    expect(fx.precision_recall_f1.length).toBeGreaterThan(60);
    for (const c of fx.precision_recall_f1) {
      const opts = { numClasses: c.num_classes, average: c.average, zeroDivision: c.zero_division, beta: c.beta };
      const r = await precisionRecallF1(c.preds, c.targets, opts);
      const tol = { atol: 1e-12, rtol: 1e-12 };
      expectClose(r.precision as number | number[], c.precision, tol);
      expectClose(r.recall as number | number[], c.recall, tol);
      expectClose(r.f1 as number | number[], c.f1, tol);
      if (c.average === 'none') expect((r as PerClassScores).support).toEqual(c.support);
    }
  });

  it('counts a class absent from both inputs in the macro mean (as 0)', async () => {
    const r = await precisionRecallF1([0, 1], [0, 1], { numClasses: 4 });
    expect(r).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    const one = await precisionRecallF1([0, 1], [0, 1], { numClasses: 4, zeroDivision: 1 });
    expect(one).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('streams over batches', async () => {
    const c = fx.precision_recall_f1.find((x) => x.case === 'random' && x.average === 'weighted' && x.beta === 1)!;
    const m = new PrecisionRecallF1({ numClasses: c.num_classes, average: 'weighted', zeroDivision: c.zero_division });
    for (let i = 0; i < c.preds.length; i += 9) await m.update(c.preds.slice(i, i + 9), c.targets.slice(i, i + 9));
    const r = m.compute() as { precision: number; recall: number; f1: number };
    expectClose([r.precision, r.recall, r.f1], [c.precision as number, c.recall as number, c.f1 as number], { atol: 1e-12 });
    m.reset();
    await m.update([1], [1]);
    expect(m.compute()).toEqual({ precision: 1, recall: 1, f1: 1 }); // weighted by support: only class 1 counts
  });

  it('rejects bad options and labels', async () => {
    await expect(precisionRecallF1([0], [0], { average: 'samples' as ClassAverage })).rejects.toThrow(
      "precisionRecallF1: options.average must be one of 'macro', 'micro', 'weighted', 'none', got 'samples'",
    );
    await expect(precisionRecallF1([0], [0], { zeroDivision: 2 as 0 })).rejects.toThrow(/options.zeroDivision must be 0 or 1, got 2/);
    await expect(precisionRecallF1([0, 1], [0, 4], { numClasses: 3 })).rejects.toThrow(/targets must be labels in \[0, 3\), got 4 at index 1/);
    expect(() => new PrecisionRecallF1({ numClasses: 0 })).toThrow(/PrecisionRecallF1: options.numClasses must be an integer >= 1, got 0/);
  });
});
