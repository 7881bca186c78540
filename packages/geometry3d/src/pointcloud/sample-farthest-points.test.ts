import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { sampleFarthestPoints } from './sample-farthest-points.js';

/** Greedy farthest-point sampling written with loops (reference). */
function reference(p: Float32Array, P: number, K: number, start: number): number[] {
  const dist = new Array(P).fill(Infinity);
  const out = [start];
  let sel = start;
  for (let k = 1; k < K; k++) {
    let best = -1;
    let arg = 0;
    for (let j = 0; j < P; j++) {
      const d = (p[3 * j]! - p[3 * sel]!) ** 2 + (p[3 * j + 1]! - p[3 * sel + 1]!) ** 2 + (p[3 * j + 2]! - p[3 * sel + 2]!) ** 2;
      dist[j] = Math.min(dist[j], d);
      if (dist[j] > best) {
        best = dist[j];
        arg = j;
      }
    }
    out.push(arg);
    sel = arg;
  }
  return out;
}

describe('sampleFarthestPoints', () => {
  it('matches the greedy reference', () => {
    const x = randn([1, 200, 3], { generator: new Generator(9) });
    const { points, idx } = sampleFarthestPoints(x, { K: 20 });
    expect(Array.from(idx.dataSync())).toEqual(reference(x.dataSync() as Float32Array, 200, 20, 0));
    tf.tidy(() => expectClose(tf.slice(points, [0, 1, 0], [1, 1, 3]), tf.slice(x, [0, idx.dataSync()[1]!, 0], [1, 1, 3])));
    tf.dispose([x, points, idx]);
  });

  it('respects lengths (-1 / zero padding) and random starts', () => {
    const x = tf.tensor3d([[[0, 0, 0], [1, 0, 0], [5, 0, 0], [100, 0, 0]], [[0, 0, 0], [0, 3, 0], [0, 1, 0], [0, 2, 0]]]);
    const { points, idx } = sampleFarthestPoints(x, { K: 4, lengths: [3, 4] });
    expect(Array.from(idx.dataSync())).toEqual([0, 2, 1, -1, 0, 1, 2, 3]); // ties: the first index, as argmax
    tf.tidy(() => expectClose(tf.slice(points, [0, 3, 0], [1, 1, 3]), [0, 0, 0]));
    const r = sampleFarthestPoints(x, { K: 2, lengths: [3, 4], randomStartPoint: true, generator: new Generator(1) });
    const first = Array.from(r.idx.dataSync()).filter((_, i) => i % 2 === 0);
    expect(first[0]!).toBeLessThan(3);
    tf.dispose([x, points, idx, r.points, r.idx]);
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => sampleFarthestPoints(tf.zeros([4, 3]))).toThrow(/sampleFarthestPoints: points must be shape \[B, P, D\]/);
      expect(() => sampleFarthestPoints(tf.zeros([1, 4, 3]), { K: 0 })).toThrow(/options.K must be an integer >= 1/);
    });
  });
});
