import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { faceAreas } from './face-areas.js';
import { faceNormals } from './face-normals.js';
import { meshVolume } from './mesh-volume.js';
import { vertexNormals } from './vertex-normals.js';

const verts = (): tf.Tensor => tf.tensor2d([[0, 0, 0], [2, 0, 0], [0, 2, 0], [0, 0, 2], [7, 7, 7]]);
const faces = (): tf.Tensor => tf.tensor2d([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]], undefined, 'int32');

describe('face and vertex normals, areas, volume', () => {
  it('computes face normals and areas of a tetrahedron', () => {
    tf.tidy(() => {
      const v = verts();
      const f = faces();
      expectClose(faceNormals(v, f), [0, 0, -1, 0, -1, 0, -1, 0, 0, 1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)], { atol: 1e-6 });
      expectClose(faceAreas(v, f), [2, 2, 2, 2 * Math.sqrt(3)], { atol: 1e-5 });
    });
  });

  it('area-weights vertex normals and gives 0 to unused vertices', () => {
    tf.tidy(() => {
      const n = vertexNormals(verts(), faces());
      // vertex 0 touches the three axis faces, each with area 2: normal ∝ (-1, -1, -1)
      const k = 1 / Math.sqrt(3);
      expectClose(tf.slice(n, [0, 0], [1, 3]), [-k, -k, -k], { atol: 1e-6 });
      expectClose(tf.slice(n, [4, 0], [1, 3]), [0, 0, 0]);
    });
  });

  it('measures the enclosed volume, differentiably', () => {
    tf.tidy(() => {
      expectClose(meshVolume(verts(), faces()), [8 / 6], { atol: 1e-6 });
      const g = tf.grad((v: tf.Tensor) => meshVolume(v, faces()))(verts());
      // moving the apex (0, 0, 2) along +z grows the volume by base area / 3 = 2/3
      expectClose(tf.slice(g, [3, 2], [1, 1]), [2 / 3], { atol: 1e-6 });
    });
  });

  it('handles degenerate faces without NaN', () => {
    tf.tidy(() => {
      const v = tf.tensor2d([[0, 0, 0], [1, 0, 0], [2, 0, 0]]);
      const f = tf.tensor2d([[0, 1, 2]], undefined, 'int32');
      expectClose(faceNormals(v, f), [0, 0, 0]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(faceAreas(x, f)))(v);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => faceNormals(verts(), tf.zeros([2, 3]))).toThrow(/faceNormals: faces must be dtype int32, got dtype float32/);
      expect(() => faceAreas(tf.zeros([3, 2]), faces())).toThrow(/faceAreas: verts must be shape \[\*, 3\]/);
    });
  });
});
