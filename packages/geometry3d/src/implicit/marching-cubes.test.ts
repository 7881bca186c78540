import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { faceAreas } from '../mesh/face-areas.js';
import { meshVolume } from '../mesh/mesh-volume.js';
import { marchingCubes, marchingCubesArrays } from './marching-cubes.js';

interface Case {
  name: string;
  shape: [number, number, number];
  volume: number[];
  level: number;
  verts: number[];
  faces: number[];
  normals: number[];
}
const cases = JSON.parse(readFileSync(new URL('../../fixtures/marching_cubes.json', import.meta.url), 'utf8')) as Case[];

describe('marchingCubes', () => {
  it.each(cases.map((c) => [c.name, c] as const))('reproduces scikit-image exactly: vertices, faces, normals (%s)', (_, c) => {
    const m = marchingCubesArrays(Float32Array.from(c.volume), c.shape, { level: c.level });
    expect(m.faces.length).toBe(c.faces.length);
    expect(Array.from(m.faces)).toEqual(c.faces);
    expectClose(m.verts, c.verts, { atol: 1e-5, rtol: 1e-6 });
    expectClose(m.normals, c.normals, { atol: 1e-4 });
  });

  it('extracts a closed sphere from a tensor: area and volume near the analytic ones', async () => {
    const n = 24;
    const r = 8;
    const vol = tf.tidy(() => {
      const c = tf.sub(tf.range(0, n), (n - 1) / 2);
      const [z, y, x] = [tf.reshape(c, [n, 1, 1]), tf.reshape(c, [1, n, 1]), tf.reshape(c, [1, 1, n])];
      return tf.sub(r, tf.sqrt(tf.add(tf.add(tf.square(z), tf.square(y)), tf.square(x))));
    });
    const { verts, faces, normals } = await marchingCubes(vol, { level: 0 });
    tf.tidy(() => {
      expectClose(tf.sum(faceAreas(verts, faces)), [4 * Math.PI * r * r], { rtol: 0.01 });
      // skimage's 'descent' winding is counter-clockwise from outside in (x, y, z) = (w, h, d) order,
      // so the signed volume is negative in the returned (d, h, w) order and positive once reversed
      const want = (4 / 3) * Math.PI * r ** 3;
      expectClose(meshVolume(verts, faces), [-want], { rtol: 0.01 });
      expectClose(meshVolume(tf.reverse(verts, 1), faces), [want], { rtol: 0.01 });
      // normals point along the radius, outwards (from large to small values: the gradient descent direction)
      const radial = tf.sub(verts, (n - 1) / 2);
      const cos = tf.div(tf.sum(tf.mul(radial, normals), 1), tf.norm(radial, 'euclidean', 1));
      expect(tf.min(cos).dataSync()[0]!).toBeGreaterThan(0.95);
    });
    tf.dispose([vol, verts, faces, normals]);
  });

  it('returns an empty mesh when the level is outside the values, and scales by spacing', () => {
    const vol = new Float32Array(27).fill(0);
    vol[13] = 1;
    expect(marchingCubesArrays(vol, [3, 3, 3], { level: 2 }).faces.length).toBe(0);
    const a = marchingCubesArrays(vol, [3, 3, 3], { level: 0.5 });
    const b = marchingCubesArrays(vol, [3, 3, 3], { level: 0.5, spacing: [2, 1, 1] });
    expect(b.faces).toEqual(a.faces);
    expect(b.verts[0]).toBeCloseTo(2 * a.verts[0]!, 6);
  });

  it('rejects bad input', async () => {
    expect(() => marchingCubesArrays(new Float32Array(8), [2, 2, 1] as unknown as [number, number, number])).toThrow(/marchingCubes: volume must be shape \[D, H, W\] with every dim >= 2/);
    expect(() => marchingCubesArrays(new Float32Array([NaN, 0, 0, 0, 0, 0, 0, 0]), [2, 2, 2])).toThrow(/volume must be finite values, got NaN at index 0/);
    const v = tf.zeros([2, 2]);
    await expect(marchingCubes(v)).rejects.toThrow(/marchingCubes: volume must be rank 3/);
    v.dispose();
  });
});
