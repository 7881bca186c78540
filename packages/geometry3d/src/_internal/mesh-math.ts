/** Private per-face geometry shared by the normal, area and sampling ops. */
import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '@fovea/core';
import { cross, gatherRows } from './autograd.js';

/** Checks `verts [V, 3]` float32 and `faces [F, 3]` int32. */
export function checkMesh(op: string, verts: unknown, faces: unknown): asserts verts is tf.Tensor {
  checkTensor(op, 'verts', verts, { shape: [null, 3], dtype: 'float32' });
  checkTensor(op, 'faces', faces, { shape: [null, 3], dtype: 'int32' });
}

/** The three corners of every face: `[v0, v1, v2]`, each `[F, 3]` (differentiable in `verts`). */
export function faceCorners(verts: tf.Tensor, faces: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const F = faces.shape[0]!;
    const all = tf.reshape(gatherRows(verts, tf.reshape(faces, [-1])), [F, 3, 3]); // [F, corner, xyz]
    const [a, b, c] = tf.unstack(all, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return [a, b, c];
  });
}

/** `c_f = (v1 - v0) × (v2 - v0)` for every face, `[F, 3]` (twice the area times the unit normal). */
export function faceCross(verts: tf.Tensor, faces: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [a, b, c] = faceCorners(verts, faces);
    return cross(tf.sub(b, a), tf.sub(c, a));
  });
}
