import * as tf from '@tensorflow/tfjs-core';
import { cross, zerosConnected } from '../_internal/autograd.js';
import { checkMesh, faceCorners } from '../_internal/mesh-math.js';

/**
 * Signed volume enclosed by a closed triangle mesh (divergence theorem):
 * `Σ_f v0·(v1 × v2) / 6`, positive when the faces are counter-clockwise seen
 * from outside (normals out). Meaningful for closed (watertight) meshes.
 * Differentiable in `verts`.
 *
 * @param verts `[V, 3]` vertex positions.
 * @param faces int32 `[F, 3]` vertex indices.
 * @returns scalar signed volume.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { icosphere, meshVolume } from '@fovea/geometry3d';
 * const s = icosphere(3);
 * const faces = s.facesPacked();
 * await meshVolume(s.vertsPacked(), faces).data(); // ≈ [4.07], approaching 4π/3
 * faces.dispose();
 * s.dispose();
 * ```
 * @category Meshes
 */
export function meshVolume(verts: tf.Tensor, faces: tf.Tensor): tf.Tensor {
  checkMesh('meshVolume', verts, faces);
  return tf.tidy(() => {
    if (faces.shape[0] === 0) return zerosConnected(verts);
    const [a, b, c] = faceCorners(verts, faces); // [F, 3] each
    return tf.div(tf.sum(tf.mul(a, cross(b, c))), 6);
  });
}
