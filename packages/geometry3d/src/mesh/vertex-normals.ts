import * as tf from '@tensorflow/tfjs-core';
import { safeNorm, scatterAddRows } from '../_internal/autograd.js';
import { checkMesh, faceCross } from '../_internal/mesh-math.js';

/**
 * Area-weighted vertex normals (PyTorch3D's `verts_normals_packed`): each
 * vertex sums the cross products `(v1 - v0) × (v2 - v0)` (twice the area
 * times the normal) of the faces that use it, then normalises with
 * `max(‖n‖, 1e-6)`; a vertex used by no face gets `(0, 0, 0)`.
 * Differentiable in `verts`.
 *
 * @param verts `[V, 3]` vertex positions.
 * @param faces int32 `[F, 3]` vertex indices.
 * @returns `[V, 3]` normals.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vertexNormals } from '@fovea/geometry3d';
 * const verts = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [5, 5, 5]]);
 * const n = vertexNormals(verts, tf.tensor2d([[0, 1, 2]], undefined, 'int32'));
 * await n.data(); // [0,0,1, 0,0,1, 0,0,1, 0,0,0]
 * ```
 * @category Meshes
 */
export function vertexNormals(verts: tf.Tensor, faces: tf.Tensor): tf.Tensor {
  checkMesh('vertexNormals', verts, faces);
  return tf.tidy(() => {
    const V = verts.shape[0]!;
    const F = faces.shape[0]!;
    if (F === 0) return tf.mul(verts, 0);
    const c = faceCross(verts, faces); // [F, 3]
    const rep = tf.reshape(tf.tile(tf.expandDims(c, 1), [1, 3, 1]), [3 * F, 3]); // each face's cross once per corner
    const n = scatterAddRows(rep, tf.reshape(faces, [-1]), V); // [V, 3]
    return tf.div(n, tf.maximum(safeNorm(n, true), 1e-6));
  });
}
