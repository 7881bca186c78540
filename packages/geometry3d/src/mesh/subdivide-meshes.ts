import * as tf from '@tensorflow/tfjs-core';
import { gatherRows } from '../_internal/autograd.js';
import { subdivideFaceArrays } from '../_internal/subdivide.js';
import { checkMeshes } from './mesh-edge-loss.js';
import { Meshes, topologyOf } from './meshes.js';

/**
 * Loop-free midpoint subdivision (PyTorch3D's `SubdivideMeshes`): a new vertex
 * at the midpoint of every unique edge, and every triangle split into four
 * with its orientation kept. Each mesh's vertices are its old ones followed by
 * its midpoints in sorted-edge order; faces and vertex order match PyTorch3D.
 * Differentiable in the vertices.
 *
 * @param meshes `N` meshes.
 * @returns new meshes with `V + E` vertices and `4F` faces each (dispose them).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Meshes, subdivideMeshes } from '@fovea/geometry3d';
 * const v = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0]]);
 * const fine = subdivideMeshes(new Meshes(v, [[0, 1, 2]]));
 * fine.numVertsPerMesh(); // [6]
 * fine.numFacesPerMesh(); // [4]
 * ```
 * @category Meshes
 */
export function subdivideMeshes(meshes: Meshes): Meshes {
  checkMeshes('subdivideMeshes', meshes);
  const topo = topologyOf(meshes);
  const verts: tf.Tensor[] = [];
  const faces: Int32Array[] = [];
  try {
    const all = meshes.vertsPacked();
    for (let m = 0; m < meshes.length; m++) {
      const V = topo.numVerts[m]!;
      const v0 = topo.vertFirst[m]!;
      const f0 = topo.faceFirst[m]! * 3;
      const local = topo.faces.slice(f0, f0 + 3 * topo.numFaces[m]!).map((i) => i - v0);
      const sub = subdivideFaceArrays(local, V);
      faces.push(sub.faces);
      verts.push(
        tf.tidy(() => {
          const own = tf.slice(all, [v0, 0], [V, 3]); // [V, 3]
          const E = sub.edges.length / 2;
          if (E === 0) return own;
          const ends = tf.reshape(gatherRows(own, tf.tensor1d(sub.edges, 'int32')), [E, 2, 3]); // [E, 2, 3]
          return tf.concat([own, tf.mean(ends, 1)], 0); // [V + E, 3]
        }),
      );
    }
    return new Meshes(verts, faces);
  } finally {
    tf.dispose(verts);
  }
}
