import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { Accuracy, accuracy } from '@fovea/metrics';

interface Case {
  preds: number[] | number[][];
  targets: number[];
  top_k: number;
  value: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/sklearn.json', import.meta.url), 'utf8')) as { accuracy: Case[] };

describe('accuracy', () => {
  it('matches scikit-learn (labels, arg-max with ties, top-k with ties)', async () => {
    for (const c of fx.accuracy) {
      expectClose(await accuracy(c.preds, c.targets, { topK: c.top_k }), c.value, { atol: 1e-12 });
    }
  });

  it('reads int32 and float32 tensors without disposing them', async () => {
    const c = fx.accuracy.find((x) => x.top_k === 2)!;
    const p = tf.tensor2d(c.preds as number[][]);
    const t = tf.tensor1d(c.targets, 'int32');
    expectClose(await accuracy(p, t, { topK: 2 }), c.value, { atol: 1e-7 });
    expect(p.isDisposed).toBe(false);
    tf.dispose([p, t]);
  });

  it('counts top-k = C as always right and small examples by hand', async () => {
    expect(await accuracy([[0.2, 0.5, 0.3]], [0], { topK: 3 })).toBe(1);
    expect(await accuracy([[0.2, 0.5, 0.3]], [2], { topK: 1 })).toBe(0);
    expect(await accuracy([[0.2, 0.5, 0.3]], [2], { topK: 2 })).toBe(1);
    expect(await accuracy([0, 2, 1, 1], [0, 1, 1, 1])).toBe(0.75);
    expect(await accuracy([], [])).toBeNaN();
  });

  it('streams: batches give the whole-set value', async () => {
    const c = fx.accuracy[2]!;
    const m = new Accuracy();
    const p = c.preds as number[];
    for (let i = 0; i < p.length; i += 37) await m.update(p.slice(i, i + 37), c.targets.slice(i, i + 37));
    expectClose(m.compute(), c.value, { atol: 1e-12 });
    m.reset();
    expect(m.compute()).toBeNaN();
    await m.update([1], [1]);
    expect(m.compute()).toBe(1);
  });

  it('rejects bad input with a FoveaError naming the argument', async () => {
    await expect(accuracy([0, 1], [0])).rejects.toThrow(/accuracy: targets must be length 2/);
    await expect(accuracy([[0.1, 0.9]], [2])).rejects.toThrow(/accuracy: targets must be labels in \[0, 2\), got 2 at index 0/);
    await expect(accuracy([0.5], [0])).rejects.toThrow(/accuracy: preds must be integer labels \[N\] or scores \[N, C\], got 0.5/);
    await expect(accuracy([[NaN, 1]], [0])).rejects.toThrow(/accuracy: preds must be finite values, got NaN at index \[0, 0\]/);
    await expect(accuracy([0], [0], { topK: 0 })).rejects.toThrow(/options.topK must be an integer >= 1, got 0/);
    expect(() => new Accuracy({ topK: 1.5 })).toThrow(/Accuracy: options.topK/);
  });
});
