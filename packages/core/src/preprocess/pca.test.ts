import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { pca, PCA } from './pca.js';

type Case = { x: JsonTensor; k: number; components: JsonTensor; explained_variance: JsonTensor; explained_variance_ratio: JsonTensor; projected: JsonTensor; whitened: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_preprocess.json', import.meta.url), 'utf8')) as { pca: Case[] };

describe('PCA', () => {
  for (const c of fx.pca) {
    it(`matches sklearn PCA(svd_solver="full") on ${JSON.stringify(c.x.shape)} with k = ${c.k} (Fovea's sign convention)`, async () => {
      const x = fromJson(c.x);
      const p = await new PCA({ nComponents: c.k }).fit(x);
      tf.tidy(() => {
        expectClose(p.components, fromJson(c.components), { atol: 2e-3, rtol: 2e-3 });
        expectClose(p.explainedVariance, fromJson(c.explained_variance), { atol: 1e-4, rtol: 1e-4 });
        expectClose(p.explainedVarianceRatio, fromJson(c.explained_variance_ratio).dataSync(), { atol: 1e-5, rtol: 1e-4 });
        expectClose(p.transform(x), fromJson(c.projected), { atol: 2e-3, rtol: 2e-3 });
      });
      const w = await new PCA({ nComponents: c.k, whiten: true }).fit(x);
      tf.tidy(() => {
        expectClose(w.transform(x), fromJson(c.whitened), { atol: 2e-3, rtol: 2e-3 });
        // inverse of the whitened projection lands where the plain PCA reconstruction does
        expectClose(w.inverseTransform(w.transform(x)), p.inverseTransform(p.transform(x)), { atol: 1e-3, rtol: 1e-3 });
      });
      tf.dispose([x]);
      p.dispose();
      w.dispose();
    });
  }

  it('keeps everything with k = D and reconstructs exactly', async () => {
    const x = tf.tensor2d([[2, 0, 1], [0, 1, -1], [-2, 0, 3], [0, -1, 0], [1, 1, 1]]);
    const p = await new PCA().fit(x);
    expect(p.nComponents).toBe(3);
    tf.tidy(() => expectClose(p.inverseTransform(p.transform(x)), x, { atol: 1e-5 }));
    expect(p.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    p.dispose();
    x.dispose();
  });

  it('pca(): one-shot, caller-owned outputs', async () => {
    const x = tf.tensor2d([[2, 0], [0, 1], [-2, 0], [0, -1]]);
    const r = await pca(x, 1);
    expectClose(r.components, [[1, 0]]);
    expectClose(r.explainedVariance, [8 / 3]);
    expectClose(r.projected, [[2], [0], [-2], [0]]);
    expectClose(r.mean, [0, 0]);
    tf.dispose([x, ...Object.values(r)]);
  });

  it('rejects bad input', async () => {
    const x = tf.zeros([1, 3]);
    await expect(new PCA().fit(x)).rejects.toThrow('PCA.fit: x must be at least 2 rows [N >= 2, D] (the covariance divides by N - 1), got shape [1, 3]');
    const y = tf.zeros([4, 3]);
    await expect(new PCA({ nComponents: 4 }).fit(y)).rejects.toThrow('PCA.fit: options.nComponents must be at most D = 3 (the features of x), got 4');
    expect(() => new PCA().transform(y)).toThrow('PCA.transform: this must be a fitted PCA (await fit first), got an unfitted one');
    const p = await new PCA().fit(y);
    const bad = tf.zeros([2, 2]);
    expect(() => p.transform(bad)).toThrow('PCA.transform: x must be shape [*, 3], got shape [2, 2]');
    p.dispose();
    tf.dispose([x, y, bad]);
  });
});
