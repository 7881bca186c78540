import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { FrechetDistance, frechetDistance } from '@fovea/metrics';
import { eighArrays } from '@fovea/core';
import { cholesky, traceSqrtProduct } from '../_internal/linalg.js';

interface Fid {
  feats1: number[][];
  feats2: number[][];
  fid: number;
  singular: boolean;
}
interface Eig {
  matrix: number[];
  n: number;
  values: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { fid: Fid[]; eigen: Eig[] };

describe("core's symmetric eigensolver on FID's matrices", () => {
  it('matches numpy.linalg.eigvalsh, with and without eigenvectors', () => {
    for (const c of fx.eigen) {
      const a = Float64Array.from(c.matrix);
      for (const vectors of [false, true]) {
        const r = eighArrays(a, c.n, { method: 'ql', vectors });
        expectClose(Array.from(r.values), c.values, { atol: 1e-10 });
        if (vectors) {
          // A v = λ v for every eigenvector (row j)
          const V = r.vectors!;
          for (let j = 0; j < c.n; j++) {
            for (let i = 0; i < c.n; i++) {
              let av = 0;
              for (let k = 0; k < c.n; k++) av += a[i * c.n + k]! * V[j * c.n + k]!;
              expect(Math.abs(av - r.values[j]! * V[j * c.n + i]!)).toBeLessThan(1e-9);
            }
          }
        } else {
          expect(r.vectors).toBeNull();
        }
      }
      expect(Array.from(a)).toEqual(c.matrix); // input untouched
    }
  });

  it('cholesky refuses a singular matrix; the trace of sqrtm falls back to the eigen route', () => {
    const s = Float64Array.from([1, 1, 1, 1]); // rank 1
    expect(cholesky(s, 2)).toBeNull();
    // sqrtm(S·S) = S for PSD S: trace 2
    expectClose(traceSqrtProduct(s, s, 2), 2, { atol: 1e-12 });
    const d = Float64Array.from([4, 0, 0, 9]);
    expectClose(traceSqrtProduct(d, d, 2), 13, { atol: 1e-12 });
  });
});

describe('frechetDistance', () => {
  it('matches the scipy.linalg.sqrtm reference (also with N < D, a singular covariance)', async () => {
    for (const c of fx.fid) {
      expectClose(await frechetDistance(c.feats1, c.feats2), c.fid, { atol: 1e-6, rtol: 1e-8 });
    }
    expect(fx.fid.some((c) => c.singular)).toBe(true);
  });

  it('streams with Chan merges: any batching gives the one-shot value; keepRealOnReset', async () => {
    const c = fx.fid[0]!;
    const m = new FrechetDistance({ keepRealOnReset: true });
    for (let i = 0; i < c.feats1.length; i += 33) await m.update(c.feats1.slice(i, i + 33), true);
    const fake = tf.tensor2d(c.feats2);
    await m.update(fake, false);
    fake.dispose();
    expectClose(m.compute(), c.fid, { atol: 1e-6, rtol: 1e-8 });
    m.reset();
    expect(() => m.compute()).toThrow('FrechetDistance.compute: generated features must be at least one update, got none');
    for (let i = 0; i < c.feats2.length; i += 50) await m.update(c.feats2.slice(i, i + 50), false);
    expectClose(m.compute(), c.fid, { atol: 1e-6, rtol: 1e-8 });
  });

  it('is 0 for identical sets and rejects bad input', async () => {
    const c = fx.fid[0]!;
    expect(Math.abs(await frechetDistance(c.feats1, c.feats1))).toBeLessThan(1e-9);
    await expect(frechetDistance([[1, 2]], [[1, 2]])).rejects.toThrow('frechetDistance: feats1 must be at least 2 samples (a covariance needs them), got 1');
    await expect(frechetDistance([[1, 2], [3, 4]], [[1], [2]])).rejects.toThrow('frechetDistance: feats2 must be shape [N, 2] (the feature size seen first), got shape [2, 1]');
    await expect(frechetDistance([1, 2, 3], [[1], [2]])).rejects.toThrow(/feats1 must be rank 2, got shape \[3\]/);
    const m = new FrechetDistance();
    await expect(m.update([[1, 2]], 'real' as unknown as boolean)).rejects.toThrow(/FrechetDistance.update: real must be a boolean/);
  });
});
