import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { graphConv } from './graph-conv.js';
import { icosphere } from './icosphere.js';
import { meshEdgeLoss } from './mesh-edge-loss.js';
import { meshLaplacianSmoothing } from './mesh-laplacian-smoothing.js';
import { meshNormalConsistency } from './mesh-normal-consistency.js';
import { vertAlign } from './vert-align.js';
import { vertexNormals } from './vertex-normals.js';

describe('meshes on every backend', () => {
  it('losses and their gradients on an icosphere', async () => {
    const s = icosphere(1);
    const v = tf.variable(s.vertsPacked());
    const { value, grads } = tf.variableGrads(() => {
      const m = s.updatePacked(v);
      return tf.addN([meshEdgeLoss(m), meshLaplacianSmoothing(m, { method: 'cot' }), meshNormalConsistency(m), meshLaplacianSmoothing(m)]) as tf.Scalar;
    }, [v]);
    const val = (await value.data())[0]!;
    expect(Number.isFinite(val) && val > 0).toBe(true);
    const g = await grads[v.name]!.data();
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    tf.dispose([value, ...Object.values(grads), v]);
    s.dispose();
  });

  it('normals, graph convolution and vertex-aligned features', async () => {
    const [n, out, f] = tf.tidy(() => {
      const verts = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0]]);
      const faces = tf.tensor2d([[0, 1, 2]], undefined, 'int32');
      const edges = tf.tensor2d([[0, 1], [1, 2]], undefined, 'int32');
      return [
        vertexNormals(verts, faces),
        graphConv(tf.tensor2d([[1], [2], [3]]), edges, { w0: tf.zeros([1, 1]), w1: tf.ones([1, 1]) }),
        vertAlign(tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]), tf.tensor3d([[[-1, -1], [1, 1], [0, 0]]])),
      ];
    });
    expect(Array.from(await n!.data())).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(Array.from(await out!.data())).toEqual([2, 4, 2]);
    expect(Array.from(await f!.data())).toEqual([0, 3, 1.5]);
    tf.dispose([n!, out!, f!]);
  });
});
