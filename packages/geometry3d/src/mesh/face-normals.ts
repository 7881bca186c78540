import * as tf from '@tensorflow/tfjs-core';
import { safeNorm } from '../_internal/autograd.js';
import { checkMesh, faceCross } from '../_internal/mesh-math.js';

/**
 * Unit normal of every face (PyTorch3D's `faces_normals_packed`):
 * `c_f / max(‖c_f‖, 1e-6)` with `c_f = (v1 - v0) × (v2 - v0)` for face
 * `(i0, i1, i2)`, so counter-clockwise faces (seen from outside) point out.
 * Differentiable in `verts`.
 *
 * @param verts `[V, 3]` vertex positions.
 * @param faces int32 `[F, 3]` vertex indices.
 * @returns `[F, 3]` normals.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { faceNormals } from '@fovea/geometry3d';
 * const verts = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0]]);
 * await faceNormals(verts, tf.tensor2d([[0, 1, 2]], undefined, 'int32')).data(); // [0, 0, 1]
 * ```
 * @category Meshes
 */
export function faceNormals(verts: tf.Tensor, faces: tf.Tensor): tf.Tensor {
  checkMesh('faceNormals', verts, faces);
  return tf.tidy(() => {
    if (faces.shape[0] === 0) return tf.zeros([0, 3]);
    const c = faceCross(verts, faces); // [F, 3]
    return tf.div(c, tf.maximum(safeNorm(c, true), 1e-6));
  });
}
