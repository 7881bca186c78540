import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { Meshes } from './meshes.js';
import { subdivideMeshes } from './subdivide-meshes.js';

describe('subdivideMeshes', () => {
  it('splits a triangle as PyTorch3D does', () => {
    const v = tf.tensor2d([[0, 0, 0], [2, 0, 0], [0, 2, 0]]);
    const m = new Meshes(v, [[0, 1, 2]]);
    const s = subdivideMeshes(m);
    // edges sorted: (0,1) → 3, (0,2) → 4, (1,2) → 5; face sides e0 = (1,2), e1 = (2,0), e2 = (0,1)
    expectClose(s.vertsPacked(), [0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]);
    expect(Array.from(s.facesPackedArray())).toEqual([0, 3, 4, 1, 5, 3, 2, 4, 5, 5, 4, 3]);
    tf.dispose(v);
    m.dispose();
    s.dispose();
  });

  it('subdivides each mesh of a batch and is differentiable', () => {
    const a = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0]]);
    const b = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const m = new Meshes([a, b], [[[0, 1, 2]], [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]]]);
    const s = subdivideMeshes(m);
    expect(s.numVertsPerMesh()).toEqual([6, 10]);
    expect(s.numFacesPerMesh()).toEqual([4, 16]);
    const g = tf.grad((x: tf.Tensor) => {
      const d = m.updatePacked(x);
      return tf.sum(subdivideMeshes(d).vertsPacked());
    })(m.vertsPacked());
    // each vertex appears once plus half per incident edge: 1 + deg/2
    expectClose(g, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    tf.dispose([a, b, g]);
    m.dispose();
    s.dispose();
  });
});
