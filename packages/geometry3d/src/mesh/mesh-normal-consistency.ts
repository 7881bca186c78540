import * as tf from '@tensorflow/tfjs-core';
import { cross, gatherRows, safeNorm, zerosConnected } from '../_internal/autograd.js';
import { checkMeshes } from './mesh-edge-loss.js';
import { type Meshes, topologyOf } from './meshes.js';

/**
 * Normal-consistency regulariser (PyTorch3D's `mesh_normal_consistency`): for
 * every edge `(v0, v1)` (`v0 < v1`) shared by two faces with opposite
 * vertices `a` and `b`, `1 - cos(n0, n1)` with `n0 = (v1 - v0) × (a - v0)` and
 * `n1 = -((v1 - v0) × (b - v0))`; the mean over each mesh's face pairs,
 * averaged over the meshes. It is 0 for a flat surface and grows with the
 * dihedral angle; independent of face winding. Boundary edges contribute
 * nothing; a mesh with no shared edge contributes 0. Edges in more than two
 * faces form the same pairs as PyTorch3D. Differentiable in the vertices.
 *
 * @param meshes the meshes.
 * @returns scalar loss.
 * @example
 * ```ts
 * import { icosphere, meshNormalConsistency } from '@fovea/geometry3d';
 * const sphere = icosphere(2);
 * await meshNormalConsistency(sphere).data(); // ≈ [0.0106]
 * sphere.dispose();
 * ```
 * @category Meshes
 */
export function meshNormalConsistency(meshes: Meshes): tf.Tensor {
  const op = 'meshNormalConsistency';
  checkMeshes(op, meshes);
  const pairs = topologyOf(meshes).normalPairs();
  const N = meshes.length;
  return tf.tidy(() => {
    const verts = meshes.vertsPacked();
    const M = pairs.v0.length;
    if (M === 0 || N === 0) return zerosConnected(verts);
    const take = (idx: Int32Array): tf.Tensor => gatherRows(verts, tf.tensor1d(idx, 'int32')); // [M, 3]
    const v0 = take(pairs.v0);
    const e = tf.sub(take(pairs.v1), v0); // [M, 3]
    const n0 = cross(e, tf.sub(take(pairs.a), v0));
    const n1 = tf.neg(cross(e, tf.sub(take(pairs.b), v0)));
    const cos = tf.div(tf.sum(tf.mul(n0, n1), 1), tf.mul(tf.maximum(safeNorm(n0), 1e-8), tf.maximum(safeNorm(n1), 1e-8))); // [M]
    return tf.div(tf.sum(tf.mul(tf.sub(1, cos), tf.tensor1d(pairs.weight))), N);
  });
}
