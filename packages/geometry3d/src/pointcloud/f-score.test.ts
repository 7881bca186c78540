import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { fScore } from './f-score.js';

/** Brute force with Euclidean distances and strict thresholds. */
function brute(p: Float32Array, q: Float32Array, t: number[]): number[][] {
  const within = (a: Float32Array, b: Float32Array): number[] => {
    const n = a.length / 3;
    const d = Array.from({ length: n }, (_, i) => {
      let best = Infinity;
      for (let j = 0; j < b.length / 3; j++) best = Math.min(best, Math.hypot(a[3 * i]! - b[3 * j]!, a[3 * i + 1]! - b[3 * j + 1]!, a[3 * i + 2]! - b[3 * j + 2]!));
      return best;
    });
    return t.map((th) => d.filter((x) => x < th).length / n);
  };
  const P = within(p, q);
  const R = within(q, p);
  return [P, R, P.map((x, i) => (x + R[i]! > 0 ? (2 * x * R[i]!) / (x + R[i]!) : 0))];
}

describe('fScore', () => {
  it('matches a brute-force reference', () => {
    const g = new Generator(7);
    const pred = randn([40, 3], { generator: g });
    const gt = randn([30, 3], { generator: g });
    const t = [0.1, 0.3, 0.6, 2];
    const [P, R, F] = brute(pred.dataSync() as Float32Array, gt.dataSync() as Float32Array, t);
    const r = fScore(pred, gt, t);
    expectClose(r.precision, P!, { atol: 1e-6 });
    expectClose(r.recall, R!, { atol: 1e-6 });
    expectClose(r.f1, F!, { atol: 1e-6 });
    tf.dispose([pred, gt, r.precision, r.recall, r.f1]);
  });

  it('gives 0 (not NaN) when nothing is within the threshold, and batches', () => {
    const pred = tf.tensor3d([[[0, 0, 0]], [[0, 0, 0]]]);
    const gt = tf.tensor3d([[[5, 0, 0]], [[0.01, 0, 0]]]);
    const r = fScore(pred, gt, [0.1]);
    expect(r.f1.shape).toEqual([2, 1]);
    expectClose(r.f1, [0, 1]);
    tf.dispose([pred, gt, r.precision, r.recall, r.f1]);
  });

  it('rejects bad input with a FoveaError', () => {
    tf.tidy(() => {
      const p = tf.zeros([4, 3]);
      expect(() => fScore(p, tf.zeros([4, 2]), [0.1])).toThrow(/fScore: gt must be shape \[Q, D\] with D = 3/);
      expect(() => fScore(p, p, [])).toThrow(/thresholds must be a non-empty array/);
      expect(() => fScore(p, p, [-1])).toThrow(/thresholds\[0\] must be a finite number > 0, got -1/);
    });
  });
});
