import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { icosphere } from '../mesh/icosphere.js';
import { chamferDistance } from './chamfer-distance.js';
import { fScore } from './f-score.js';
import { knnPoints } from './knn-points.js';
import { sampleFarthestPoints } from './sample-farthest-points.js';
import { samplePointsFromMeshes } from './sample-points-from-meshes.js';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-4): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
};

describe('point clouds on every backend', () => {
  it('kNN with lengths', async () => {
    const p1 = tf.tensor3d([[[0, 0, 0], [1, 1, 1]]]);
    const p2 = tf.tensor3d([[[0, 0, 0.1], [1, 1, 1.2], [0, 0, 3]]]);
    const { dists, idx } = knnPoints(p1, p2, { K: 2, lengths2: [2] });
    expect(Array.from(await idx.data())).toEqual([0, 1, 1, 0]);
    close(await dists.data(), [0.01, 3.44, 0.04, 2.81]);
    tf.dispose([p1, p2, dists, idx]);
  });

  it('Chamfer forward and backward', async () => {
    const x = tf.tidy(() => tf.variable(tf.tensor3d([[[0, 0, 0], [1, 0, 0]]])));
    const y = tf.tidy(() => tf.variable(tf.tensor3d([[[0, 0, 1]]])));
    const { value, grads } = tf.variableGrads(() => chamferDistance(x, y).loss as tf.Scalar, [x, y]);
    close(await value.data(), [2.5]);
    // d/dx_i = 2(x_i - y_nn)/P1 (+ 2(x_0 - y)/P2 for y's nearest x_0); d/dy = -Σ 2(x - y)/P1 + 2(y - x_0)/P2
    close(await grads[x.name]!.data(), [0, 0, -3, 1, 0, -1]);
    close(await grads[y.name]!.data(), [-1, 0, 4]);
    tf.dispose([value, ...Object.values(grads), x, y]);
  });

  it('F-score, sampling and farthest points', async () => {
    const s = icosphere(1);
    const [f1, points, idx, norms] = tf.tidy(() => {
      const r = fScore(tf.tensor2d([[0, 0, 0], [5, 0, 0]]), tf.tensor2d([[0, 0, 0.05]]), [0.1]);
      const pts = samplePointsFromMeshes(s, 64, { generator: new Generator(0) }).points;
      const fp = sampleFarthestPoints(pts, { K: 8 });
      return [r.f1, pts, fp.idx, tf.norm(pts, 'euclidean', 2)];
    });
    close(await f1!.data(), [2 / 3]);
    expect(new Set(await idx!.data()).size).toBe(8);
    expect(Math.max(...(await norms!.data()))).toBeLessThanOrEqual(1 + 1e-5);
    tf.dispose([f1!, points!, idx!, norms!]);
    s.dispose();
  });
});
