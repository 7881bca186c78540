import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber } from '@fovea/core';
import { gatherRows, safeNorm, zerosConnected } from '../_internal/autograd.js';
import { Meshes, topologyOf } from './meshes.js';

/** Options for {@link meshEdgeLoss}. @category Meshes */
export interface MeshEdgeLossOptions {
  /** The edge length the loss pulls towards; default 0 (shrink edges, i.e. keep them even). */
  targetLength?: number;
}

/** Throws unless `m` is a {@link Meshes}. */
export function checkMeshes(op: string, m: unknown): asserts m is Meshes {
  if (!(m instanceof Meshes)) throw new FoveaError({ op, arg: 'meshes', expected: 'a Meshes', got: m === null ? 'null' : typeof m });
}

/**
 * Edge-length regulariser (PyTorch3D's `mesh_edge_loss`): the mean over each
 * mesh's **unique** edges `(a, b)` of `(‖v_a - v_b‖ - targetLength)²` (an edge
 * shared by two faces counts once), averaged over the meshes. Differentiable
 * in the vertices; 0 for empty meshes.
 *
 * @param meshes the meshes.
 * @param opts targetLength.
 * @returns scalar loss.
 * @example
 * ```ts
 * import { icosphere, meshEdgeLoss } from '@fovea/geometry3d';
 * const sphere = icosphere(1);
 * const loss = meshEdgeLoss(sphere, { targetLength: 0.5 });
 * await loss.data(); // ≈ [0.0036]
 * sphere.dispose();
 * ```
 * @category Meshes
 */
export function meshEdgeLoss(meshes: Meshes, opts: MeshEdgeLossOptions = {}): tf.Tensor {
  const op = 'meshEdgeLoss';
  checkMeshes(op, meshes);
  const target = checkNumber(op, 'options.targetLength', opts.targetLength ?? 0, { min: 0 });
  const topo = topologyOf(meshes);
  const { edges, numEdges } = topo.edges();
  const N = meshes.length;
  return tf.tidy(() => {
    const verts = meshes.vertsPacked();
    const E = edges.length / 2;
    if (E === 0 || N === 0) return zerosConnected(verts); // connected to the vertices, value 0
    const ends = tf.reshape(gatherRows(verts, tf.tensor1d(edges, 'int32')), [E, 2, 3]); // [E, 2, 3]
    const [a, b] = tf.unstack(ends, 1) as [tf.Tensor, tf.Tensor];
    const len = safeNorm(tf.sub(a, b)); // [E]
    const v2m = topo.vertToMesh();
    const w = Float32Array.from({ length: E }, (_, e) => 1 / numEdges[v2m[edges[2 * e]!]!]!);
    return tf.div(tf.sum(tf.mul(tf.square(tf.sub(len, target)), tf.tensor1d(w))), N);
  });
}
