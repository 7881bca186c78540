/** Preprocessing on every backend lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PCA } from './pca.js';
import { standardize } from './standardize.js';
import { Whitening } from './whiten.js';

async function read(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function close(got: number[], want: number[], tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

describe('preprocessing (all backends)', () => {
  it('standardize', async () => {
    const x = tf.tensor2d([[1, 10], [3, 30]]);
    const { y, mean, std } = standardize(x);
    close(await read(y), [-1, -1, 1, 1]);
    close(await read(mean), [2, 20]);
    close(await read(std), [1, 10]);
    x.dispose();
  });

  it('PCA and whitening', async () => {
    const x = tf.tensor2d([[2, 0], [0, 1], [-2, 0], [0, -1]]); // variances 8/3 and 2/3 along the axes
    const p = await new PCA({ nComponents: 2 }).fit(x);
    close(Array.from(await p.components.data()), [1, 0, 0, 1]);
    close(Array.from(await p.explainedVariance.data()), [8 / 3, 2 / 3]);
    close(await read(p.transform(x)), [2, 0, 0, 1, -2, 0, 0, -1]);
    const w = await new Whitening({ kind: 'zca' }).fit(x);
    const a = Math.sqrt(3 / 8);
    const b = Math.sqrt(3 / 2);
    close(await read(w.transform(x)), [2 * a, 0, 0, b, -2 * a, 0, 0, -b]);
    p.dispose();
    w.dispose();
    x.dispose();
  });
});
