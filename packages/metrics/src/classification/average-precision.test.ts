import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { AveragePrecision, PrecisionRecallCurveMetric, averagePrecision, precisionRecallCurve } from '@fovea/metrics';

interface Curve {
  scores: number[];
  labels: number[];
  precision: number[];
  recall: number[];
  thresholds: number[];
  ap: number;
}
interface Multi {
  scores: number[][];
  labels: number[];
  ap: number[];
  macro: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/sklearn.json', import.meta.url), 'utf8')) as { pr_curve: Curve[]; ap_multiclass: Multi[] };

describe('precisionRecallCurve', () => {
  it('matches scikit-learn 1.2 (ties, one sample, no positives)', async () => {
    for (const c of fx.pr_curve) {
      const r = await precisionRecallCurve(c.scores, c.labels);
      expectClose(r.precision, c.precision, { atol: 1e-12 });
      expectClose(r.recall, c.recall, { atol: 1e-12 });
      expect(r.thresholds).toEqual(c.thresholds);
    }
  });

  it('streams', async () => {
    const c = fx.pr_curve[1]!;
    const m = new PrecisionRecallCurveMetric();
    await m.update(c.scores.slice(0, 15), c.labels.slice(0, 15).map(Boolean));
    const rest = tf.tensor1d(c.scores.slice(15));
    await m.update(rest, c.labels.slice(15));
    rest.dispose();
    expectClose(m.compute().precision, c.precision, { atol: 1e-12 });
    m.reset();
    expect(m.compute()).toEqual({ precision: [1], recall: [0], thresholds: [] });
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn (step integral, tied scores form one threshold)', async () => {
    for (const c of fx.pr_curve) expectClose(await averagePrecision(c.scores, c.labels), c.ap, { atol: 1e-12 });
  });

  it('one-vs-rest for [N, C] scores: per class and macro', async () => {
    for (const c of fx.ap_multiclass) {
      expectClose(await averagePrecision(c.scores, c.labels, { average: 'none' }), c.ap, { atol: 1e-12 });
      expectClose(await averagePrecision(c.scores, c.labels), c.macro, { atol: 1e-12 });
    }
  });

  it('reads bool tensors and streams', async () => {
    const c = fx.pr_curve[0]!;
    const s = tf.tensor1d(c.scores);
    const y = tf.tensor1d(c.labels.map(Boolean) as unknown as number[], 'bool');
    expectClose(await averagePrecision(s, y), c.ap, { atol: 1e-6 });
    tf.dispose([s, y]);
    const m = new AveragePrecision();
    for (let i = 0; i < c.scores.length; i += 4) await m.update(c.scores.slice(i, i + 4), c.labels.slice(i, i + 4));
    expectClose(m.compute() as number, c.ap, { atol: 1e-12 });
    const mc = new AveragePrecision({ average: 'none' });
    const d = fx.ap_multiclass[0]!;
    await mc.update(d.scores.slice(0, 20), d.labels.slice(0, 20));
    await mc.update(d.scores.slice(20), d.labels.slice(20));
    expectClose(mc.compute() as number[], d.ap, { atol: 1e-12 });
    await expect(mc.update([0.5], [true])).rejects.toThrow(/AveragePrecision.update: scores must be \[B, 4\] scores, like the first batch, got \[B\] scores/);
  });

  it('rejects bad input', async () => {
    await expect(averagePrecision([0.1, 0.2], [1, 2])).rejects.toThrow(/averagePrecision: labels must be booleans \(or 0\/1\), got 2 at index 1/);
    await expect(averagePrecision([0.1, 0.2], [1])).rejects.toThrow(/labels must be length 2/);
    await expect(averagePrecision([0.1], [true], { average: 'none' })).rejects.toThrow(/'none' needs \[N, C\]/);
    expect(await averagePrecision([], [])).toBeNaN();
  });
});
