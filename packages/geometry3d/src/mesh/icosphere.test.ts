import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { faceAreas } from './face-areas.js';
import { faceNormals } from './face-normals.js';
import { icosphere, icosphereArrays } from './icosphere.js';

describe('icosphere', () => {
  it.each([
    [0, 12, 20, 30, 9.5745],
    [1, 42, 80, 120, 11.6659],
    [2, 162, 320, 480, 12.3298],
    [3, 642, 1280, 1920, 12.5065],
  ])('level %i has the right counts, unit vertices and area', (level, V, F, E, area) => {
    const s = icosphere(level);
    expect(s.numVertsPerMesh()).toEqual([V]);
    expect(s.numFacesPerMesh()).toEqual([F]);
    expect(s.numEdgesPerMesh()).toEqual([E]);
    tf.tidy(() => {
      const v = s.vertsPacked();
      expectClose(tf.norm(v, 'euclidean', 1), new Array(V).fill(1), { atol: 1e-6 });
      const faces = s.facesPacked();
      expectClose(tf.sum(faceAreas(v, faces)), [area], { atol: 1e-4 });
      // faces wind counter-clockwise seen from outside: normals point away from the centre
      const centroid = tf.mean(tf.reshape(tf.gather(v, tf.reshape(faces, [-1])), [F, 3, 3]), 1);
      expect(tf.min(tf.sum(tf.mul(faceNormals(v, faces), centroid), 1)).dataSync()[0]!).toBeGreaterThan(0);
    });
    s.dispose();
  });

  it('keeps PyTorch3D’s level-0 vertex order and SubdivideMeshes order', () => {
    const { verts, faces } = icosphereArrays(1);
    const phi = (1 + Math.sqrt(5)) / 2;
    const n = Math.hypot(1, phi);
    expect(Array.from(verts.slice(0, 3))).toEqual([-1 / n, phi / n, 0]);
    // midpoints in sorted-edge order: (0, 1), (0, 5), (0, 7), (0, 10), (0, 11), (1, 5), …
    const mid01 = [0, 1, 2].map((d) => verts[3 * 12 + d]!);
    const want = [0, 1, 2].map((d) => (verts[d]! + verts[3 + d]!) / 2);
    const len = Math.hypot(...want);
    expectClose(mid01, want.map((x) => x / len), { atol: 1e-12 });
    // face 0 = (0, 11, 5): sides (11, 5), (5, 0), (0, 11) are edges e0, e1, e2; first block (v0, e2, e1)
    expect(Array.from(faces.slice(0, 3))).toEqual([0, 12 + 4, 12 + 1]);
    // the last block of 20 faces are the centre triangles (e0, e1, e2)
    expect(Array.from(faces.slice(3 * 60, 3 * 61))).toEqual([12 + 22, 12 + 1, 12 + 4]);
  });

  it('rejects bad levels', () => {
    expect(() => icosphere(-1)).toThrow(/icosphere: level must be an integer >= 0 <= 8, got -1/);
  });
});
