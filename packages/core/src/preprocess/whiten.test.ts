import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { randn } from '../random/sampling.js';
import { PCA } from './pca.js';
import { whiten, Whitening } from './whiten.js';

/** Correlated data `[n, 4]` with feature offsets. */
function data(n: number): tf.Tensor {
  return tf.tidy(() => {
    const z = randn([n, 4], { generator: new Generator(5) });
    const mix = tf.tensor2d([[2, 0, 0, 0], [1, 1, 0, 0], [0.5, -0.3, 0.7, 0], [0, 0.2, 0.1, 0.3]]);
    return tf.add(tf.matMul(z, mix), tf.tensor1d([3, -1, 0.5, 10]));
  });
}

function covariance(y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const yc = tf.sub(y, tf.mean(y, 0));
    return tf.div(tf.matMul(yc, yc, true, false), y.shape[0]! - 1);
  });
}

describe('Whitening', () => {
  for (const kind of ['pca', 'zca'] as const) {
    it(`${kind}: identity covariance with eps = 0, invertible`, async () => {
      const x = data(300);
      const w = await new Whitening({ kind }).fit(x);
      tf.tidy(() => {
        const y = w.transform(x);
        expectClose(covariance(y), tf.eye(4), { atol: 1e-4 });
        expectClose(tf.mean(y, 0), tf.zeros([4]), { atol: 1e-4 });
        expectClose(w.inverseTransform(y), x, { atol: 1e-3, rtol: 1e-4 });
      });
      w.dispose();
      x.dispose();
    });
  }

  it('pca whitening equals PCA(whiten: true); zca = pca @ Uᵀ and is symmetric', async () => {
    const x = data(100);
    const w = await new Whitening({ kind: 'pca', eps: 0.1 }).fit(x);
    const z = await new Whitening({ kind: 'zca', eps: 0.1 }).fit(x);
    const p = await new PCA({ whiten: true, eps: 0.1 }).fit(x);
    tf.tidy(() => {
      expectClose(w.transform(x), p.transform(x), { atol: 1e-4, rtol: 1e-4 });
      expectClose(z.transform(x), tf.matMul(w.transform(x), p.components), { atol: 1e-4, rtol: 1e-4 });
      expectClose(z.matrix, tf.transpose(z.matrix), { atol: 1e-6 });
    });
    [w, z, p].forEach((m) => m.dispose());
    x.dispose();
  });

  it('whiten(): one shot; eps shrinks the low-variance directions', async () => {
    const x = data(100);
    const y0 = await whiten(x, { kind: 'zca' });
    const y1 = await whiten(x, { kind: 'zca', eps: 1 });
    const v0 = tf.tidy(() => tf.sum(tf.square(y0)).dataSync()[0]!);
    const v1 = tf.tidy(() => tf.sum(tf.square(y1)).dataSync()[0]!);
    expect(v1).toBeLessThan(v0);
    tf.dispose([x, y0, y1]);
  });

  it('rejects bad options and unfitted use', () => {
    expect(() => new Whitening({ kind: 'pcaa' as 'pca' })).toThrow("Whitening: options.kind must be one of 'pca', 'zca', got 'pcaa'");
    expect(() => new Whitening({ eps: -1 })).toThrow('Whitening: options.eps must be a finite number >= 0, got -1');
    const x = tf.zeros([2, 2]);
    expect(() => new Whitening().transform(x)).toThrow('Whitening.transform: this must be a fitted Whitening (await fit first), got an unfitted one');
    x.dispose();
  });
});
