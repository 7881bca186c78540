import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { icosphere } from '../mesh/icosphere.js';
import { Meshes } from '../mesh/meshes.js';
import { samplePointsFromMeshes } from './sample-points-from-meshes.js';

// two triangles in the z = 0 plane: a big one (area 8) and a small one (area 0.5)
const V = [[0, 0, 0], [4, 0, 0], [0, 4, 0], [10, 0, 0], [11, 0, 0], [10, 1, 0]];
const F = [[0, 1, 2], [3, 4, 5]];

describe('samplePointsFromMeshes', () => {
  it('samples inside the faces, proportionally to area, reproducibly', () => {
    const v = tf.tensor2d(V);
    const m = new Meshes(v, F);
    const a = samplePointsFromMeshes(m, 4000, { generator: new Generator(3), returnNormals: true });
    const b = samplePointsFromMeshes(m, 4000, { generator: new Generator(3) });
    expect(a.points.shape).toEqual([1, 4000, 3]);
    expect(Array.from(a.points.dataSync())).toEqual(Array.from(b.points.dataSync())); // same seed, same points
    const p = a.points.dataSync();
    let small = 0;
    for (let i = 0; i < 4000; i++) {
      const [x, y, z] = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
      expect(z).toBe(0);
      if (x >= 10) {
        small++;
        expect(x - 10 + y).toBeLessThanOrEqual(1 + 1e-6);
      } else expect(x + y).toBeLessThanOrEqual(4 + 1e-5);
    }
    expect(small / 4000).toBeGreaterThan(0.5 / 8.5 - 0.02);
    expect(small / 4000).toBeLessThan(0.5 / 8.5 + 0.02);
    // face normals (v1 - v0) × (v2 - v1) of these counter-clockwise triangles: +z
    tf.tidy(() => expectClose(tf.mean(a.normals!, [0, 1]), [0, 0, 1], { atol: 1e-6 }));
    // uniform weighting: each face half the time
    const u = samplePointsFromMeshes(m, 4000, { generator: new Generator(4), weighting: 'uniform' });
    const frac = Array.from({ length: 4000 }, (_, i) => u.points.dataSync()[3 * i]!).filter((x) => x >= 10).length / 4000;
    expect(Math.abs(frac - 0.5)).toBeLessThan(0.03);
    tf.dispose([v, a.points, a.normals!, b.points, u.points]);
    m.dispose();
  });

  it('covers the sphere uniformly and differentiates the vertices', () => {
    const s = icosphere(2);
    const { points } = samplePointsFromMeshes(s, 3000, { generator: new Generator(5) });
    tf.tidy(() => {
      expectClose(tf.mean(points, [0, 1]), [0, 0, 0], { atol: 0.05 });
      const r = tf.norm(points, 'euclidean', 2);
      expect(tf.min(r).dataSync()[0]!).toBeGreaterThan(0.9);
      expect(tf.max(r).dataSync()[0]!).toBeLessThanOrEqual(1 + 1e-5);
    });
    const g = tf.grad((v: tf.Tensor) => tf.sum(samplePointsFromMeshes(s.updatePacked(v), 100, { generator: new Generator(6) }).points))(s.vertsPacked());
    // Σ over samples of barycentric weights: each sample distributes weight 1 per coordinate
    tf.tidy(() => expectClose(tf.sum(g, 0), [100, 100, 100], { atol: 1e-3 }));
    tf.dispose([points, g]);
    s.dispose();
  });

  it('fills empty meshes with zeros and rejects bad input', () => {
    const a = tf.tensor2d(V.slice(0, 3));
    const b = tf.tensor2d([[1, 1, 1]]);
    const m = new Meshes([a, b], [[[0, 1, 2]], []]);
    const { points } = samplePointsFromMeshes(m, 10, { generator: new Generator(1) });
    tf.tidy(() => expectClose(tf.slice(points, [1, 0, 0], [1, 10, 3]), new Array(30).fill(0)));
    expect(() => samplePointsFromMeshes(m, -1)).toThrow(/samplePointsFromMeshes: numSamples must be an integer >= 0, got -1/);
    tf.dispose([a, b, points]);
    m.dispose();
  });
});
