import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { squaredEuclideanDistance } from './squared-euclidean-distance.js';

describe('squaredEuclideanDistance', () => {
  it('equals the two-loop reference', () => tf.tidy(() => {
    const xs = [[0.5, -1, 2], [3, 0, 0.25], [1, 1, 1], [-2, 0.5, 0]];
    const ys = [[1, 2, 3], [0, 0, 0]];
    const want = xs.map((a) => ys.map((b) => a.reduce((s, v, k) => s + (v - b[k]!) ** 2, 0)));
    expectClose(squaredEuclideanDistance(tf.tensor2d(xs), tf.tensor2d(ys)), want, { atol: 1e-5, rtol: 1e-5 });
  }));
  it('is never negative for identical rows, and handles empty sets', () => tf.tidy(() => {
    const x = tf.tensor2d([[1e3, 1e3 + 0.1, -7.3]]);
    expect(squaredEuclideanDistance(x, x).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(squaredEuclideanDistance(tf.zeros([0, 3]), tf.zeros([4, 3])).shape).toEqual([0, 4]);
    expectClose(squaredEuclideanDistance(tf.zeros([2, 0]), tf.zeros([3, 0])), tf.zeros([2, 3]));
  }));
  it('rejects a feature mismatch', () => tf.tidy(() => {
    expect(() => squaredEuclideanDistance(tf.zeros([3, 4]), tf.zeros([2, 5]))).toThrow('squaredEuclideanDistance: y must be shape [M, D] with D = 4, got shape [2, 5]');
  }));
});
