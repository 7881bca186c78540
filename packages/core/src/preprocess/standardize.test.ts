import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { standardize, Standardizer } from './standardize.js';

describe('standardize', () => {
  it('population std with eps inside the root; a constant feature maps to 0', () => tf.tidy(() => {
    const x = tf.tensor2d([[1, 5, 10], [3, 5, 30], [5, 5, 20]]);
    const { y, mean, std } = standardize(x, { eps: 1e-4 });
    const s0 = Math.sqrt(8 / 3 + 1e-4);
    const s2 = Math.sqrt(200 / 3 + 1e-4);
    expectClose(mean, [3, 5, 20]);
    expectClose(std, [s0, 0.01, s2]);
    expectClose(y, [[-2 / s0, 0, -10 / s2], [0, 0, 10 / s2], [2 / s0, 0, 0]]);
  }));
  it('a constant feature far from 0 gives exactly 0, whatever the float32 sum order', () => tf.tidy(() => {
    const col = [10.3, 10.3, 10.3, 10.3, 10.3, 10.3, 10.3];
    const x = tf.tensor2d(col.map((v, i) => [v, i * 0.37 - 1.1])); // [7, 2]
    const { y } = standardize(x, { eps: 1e-5 });
    expect(Array.from(tf.slice(y, [0, 0], [7, 1]).dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0]);
  }));
  it('is exact for features with large offsets (two-pass variance)', () => tf.tidy(() => {
    const x = tf.tensor2d([[10000.5], [10001.5], [10002.5], [10003.5]]);
    expectClose(standardize(x).std, [Math.sqrt(1.25)], { atol: 1e-5, rtol: 1e-5 });
  }));
  it('works per pixel on image batches', () => tf.tidy(() => {
    const x = tf.stack([tf.zeros([2, 2, 1]), tf.ones([2, 2, 1])]); // [2, 2, 2, 1]
    const { y, mean } = standardize(x);
    expect(mean.shape).toEqual([2, 2, 1]);
    expectClose(y, tf.stack([tf.fill([2, 2, 1], -1), tf.ones([2, 2, 1])]));
  }));
});

describe('Standardizer', () => {
  it('fits on train and transforms test; inverse undoes it', () => {
    const s = new Standardizer();
    tf.tidy(() => {
      s.fit(tf.tensor2d([[0, 10], [2, 30]]));
      expectClose(s.mean, [1, 20]);
      expectClose(s.std, [1, 10]);
      const t = tf.tensor2d([[4, 0]]);
      expectClose(s.transform(t), [[3, -2]]);
      expectClose(s.inverseTransform(s.transform(t)), t);
      expectClose(s.fitTransform(tf.tensor2d([[1], [3]])), [[-1], [1]]);
    });
    s.dispose();
  });
  it('rejects bad input', () => tf.tidy(() => {
    expect(() => new Standardizer().transform(tf.zeros([1, 2]))).toThrow('Standardizer.transform: this must be a fitted Standardizer (call fit first), got an unfitted one');
    expect(() => standardize(tf.zeros([0, 2]))).toThrow('standardize: x must be at least one row [N >= 1, ...], got shape [0, 2]');
    const s = new Standardizer().fit(tf.zeros([3, 2]));
    expect(() => s.transform(tf.zeros([3, 3]))).toThrow('Standardizer.transform: x must be shape [*, 2], got shape [3, 3]');
    s.dispose();
  }));
});
