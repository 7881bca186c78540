import * as tf from '@tensorflow/tfjs-core';
import { safeNorm } from '../_internal/autograd.js';
import { checkMesh, faceCross } from '../_internal/mesh-math.js';

/**
 * Area of every triangle (PyTorch3D's `faces_areas_packed`):
 * `‖(v1 - v0) × (v2 - v0)‖ / 2`. Differentiable in `verts`.
 *
 * @param verts `[V, 3]` vertex positions.
 * @param faces int32 `[F, 3]` vertex indices.
 * @returns `[F]` areas.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { faceAreas } from '@fovea/geometry3d';
 * const verts = tf.tensor2d([[0, 0, 0], [2, 0, 0], [0, 2, 0]]);
 * await faceAreas(verts, tf.tensor2d([[0, 1, 2]], undefined, 'int32')).data(); // [2]
 * ```
 * @category Meshes
 */
export function faceAreas(verts: tf.Tensor, faces: tf.Tensor): tf.Tensor {
  checkMesh('faceAreas', verts, faces);
  return tf.tidy(() => {
    if (faces.shape[0] === 0) return tf.zeros([0]);
    return tf.div(safeNorm(faceCross(verts, faces)), 2); // [F]
  });
}
