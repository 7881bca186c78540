import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { knnGather, knnPoints } from './knn-points.js';

/** Brute-force k nearest neighbours (the obviously correct reference). */
function bruteKnn(p1: number[], p2: number[], B: number, P1: number, P2: number, D: number, K: number, norm: 1 | 2) {
  const idx: number[] = [];
  const dists: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < P1; i++) {
      const d: [number, number][] = [];
      for (let j = 0; j < P2; j++) {
        let s = 0;
        for (let k = 0; k < D; k++) {
          const t = p1[(b * P1 + i) * D + k]! - p2[(b * P2 + j) * D + k]!;
          s += norm === 2 ? t * t : Math.abs(t);
        }
        d.push([s, j]);
      }
      d.sort((a, c) => a[0] - c[0]);
      for (let k = 0; k < K; k++) {
        idx.push(d[k]![1]);
        dists.push(d[k]![0]);
      }
    }
  }
  return { idx, dists };
}

describe('knnPoints', () => {
  it('matches a brute-force search (K = 3, D = 3 and D = 5)', () => {
    const g = new Generator(1);
    for (const D of [3, 5]) {
      const p1 = randn([2, 20, D], { generator: g });
      const p2 = randn([2, 30, D], { generator: g });
      const ref = bruteKnn(Array.from(p1.dataSync()), Array.from(p2.dataSync()), 2, 20, 30, D, 3, 2);
      const { dists, idx, knn } = knnPoints(p1, p2, { K: 3 });
      expect(idx.dtype).toBe('int32');
      expect(idx.shape).toEqual([2, 20, 3]);
      expect(Array.from(idx.dataSync())).toEqual(ref.idx);
      expectClose(dists, ref.dists, { atol: 1e-5, rtol: 1e-5 });
      expect(knn).toBeNull();
      tf.dispose([p1, p2, dists, idx]);
    }
  });

  it('tiles large clouds without changing the result', () => {
    const g = new Generator(2);
    const p1 = randn([1, 2600, 3], { generator: g }); // several tiles of rows (4M distances per tile)
    const p2 = randn([1, 2000, 3], { generator: g });
    const ref = bruteKnn(Array.from(p1.dataSync()), Array.from(p2.dataSync()), 1, 2600, 2000, 3, 1, 2);
    const { dists, idx } = knnPoints(p1, p2);
    const got = Array.from(idx.dataSync());
    const mismatches = got.filter((v, i) => v !== ref.idx[i]).length;
    expect(mismatches).toBe(0);
    expectClose(dists, ref.dists, { atol: 1e-5, rtol: 1e-5 });
    tf.dispose([p1, p2, dists, idx]);
  });

  it('uses L1 distances with norm 1', () => {
    const g = new Generator(3);
    const p1 = randn([1, 10, 3], { generator: g });
    const p2 = randn([1, 12, 3], { generator: g });
    const ref = bruteKnn(Array.from(p1.dataSync()), Array.from(p2.dataSync()), 1, 10, 12, 3, 2, 1);
    const { dists, idx } = knnPoints(p1, p2, { K: 2, norm: 1 });
    expect(Array.from(idx.dataSync())).toEqual(ref.idx);
    expectClose(dists, ref.dists, { atol: 1e-5 });
    tf.dispose([p1, p2, dists, idx]);
  });

  it('pads with index 0 and distance 0 beyond lengths (PyTorch3D)', () => {
    const p1 = tf.tensor3d([[[0, 0, 0], [1, 1, 1], [9, 9, 9]], [[0, 0, 0], [2, 0, 0], [0, 0, 5]]]);
    const p2 = tf.tensor3d([[[0, 0, 0.1], [1, 1, 1.2], [100, 0, 0]], [[2, 0, 0.5], [0, 0, 0], [0, 0, 4]]]);
    // cloud 0: 2 valid query points, 2 valid references; cloud 1: 3 and 1
    const { dists, idx, knn } = knnPoints(p1, p2, { K: 2, lengths1: [2, 3], lengths2: [2, 1], returnNn: true });
    expect(Array.from(idx.dataSync())).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expectClose(dists, [0.01, 3.44, 0.04, 2.81, 0, 0, 4.25, 0, 0.25, 0, 24.25, 0], { atol: 1e-5 });
    expect(knn!.shape).toEqual([2, 3, 2, 3]);
    tf.tidy(() => expectClose(tf.slice(knn!, [1, 0, 0, 0], [1, 1, 2, 3]), [2, 0, 0.5, 0, 0, 0], { atol: 1e-6 }));
    tf.dispose([p1, p2, dists, idx, knn!]);
  });

  it('allows K > P2 (extra neighbours padded)', () => {
    const p1 = tf.tensor3d([[[0, 0, 0]]]);
    const p2 = tf.tensor3d([[[1, 0, 0], [0, 2, 0]]]);
    const { dists, idx } = knnPoints(p1, p2, { K: 4 });
    expect(Array.from(idx.dataSync())).toEqual([0, 1, 0, 0]);
    expectClose(dists, [1, 4, 0, 0]);
    tf.dispose([p1, p2, dists, idx]);
  });

  it('differentiates the distances with the assignment fixed', () => {
    const g = new Generator(4);
    const [a, b] = [randn([1, 6, 3], { generator: g }), randn([1, 9, 3], { generator: g })].map((t) => {
      const v = tf.variable(t);
      t.dispose();
      return v;
    }) as [tf.Variable, tf.Variable];
    const { value, grads } = tf.variableGrads(() => tf.sum(knnPoints(a, b, { K: 2 }).dists) as tf.Scalar, [a, b]);
    const nn = knnPoints(a, b, { K: 2, returnNn: true });
    const knn = nn.knn;
    tf.tidy(() => {
      // d/da Σ_k |a - nn_k|² = 2 Σ_k (a - nn_k)
      const want = tf.mul(2, tf.sum(tf.sub(tf.expandDims(a, 2), knn!), 2));
      expectClose(grads[a.name]!, want, { atol: 1e-5 });
      expectClose(tf.sum(grads[b.name]!), tf.neg(tf.sum(want)), { atol: 1e-4 });
    });
    tf.dispose([value, ...Object.values(grads), nn.dists, nn.idx, knn!, a, b]);
  });

  it('rejects bad input with a FoveaError', () => {
    tf.tidy(() => {
      const a = tf.zeros([2, 4, 3]);
      expect(() => knnPoints(a, tf.zeros([3, 4, 3]))).toThrow(/knnPoints: p2 must be shape \[B, P2, D\] with B = 2, D = 3/);
      expect(() => knnPoints(a, tf.zeros([2, 4, 2]))).toThrow(/knnPoints: p2 must be/);
      expect(() => knnPoints(a, a, { K: 0 })).toThrow(/options.K must be an integer >= 1, got 0/);
      expect(() => knnPoints(a, a, { lengths1: [4] })).toThrow(/options.lengths1 must be 2 lengths/);
      expect(() => knnPoints(a, a, { lengths2: [4, 5] })).toThrow(/options.lengths2\[1\] must be an integer in \[0, 4\]/);
    });
  });
});

describe('knnGather', () => {
  it('gathers neighbours and zeroes slots beyond lengths', () => {
    const x = tf.tensor3d([[[1, 1], [2, 2], [3, 3]]]);
    const idx = tf.tensor3d([[[2, 0], [1, 1]]], undefined, 'int32');
    const out = knnGather(x, idx, [1]);
    expectClose(out, [3, 3, 0, 0, 2, 2, 0, 0]);
    tf.dispose([x, idx, out]);
  });
});
