import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '@fovea/core';
import { detach, gatherRows, safeNorm, scatterAddRows, zerosConnected } from '../_internal/autograd.js';
import type { Topology } from '../_internal/topology.js';
import { checkMeshes } from './mesh-edge-loss.js';
import { type Meshes, topologyOf } from './meshes.js';

/** The Laplacian {@link meshLaplacianSmoothing} uses. @category Meshes */
export type LaplacianMethod = 'uniform' | 'cot' | 'cotcurv';

/** Options for {@link meshLaplacianSmoothing}. @category Meshes */
export interface MeshLaplacianSmoothingOptions {
  /** `'uniform'` (default), `'cot'` (cotangent weights) or `'cotcurv'` (cotangent curvature). */
  method?: LaplacianMethod;
}

/**
 * Laplacian smoothing regulariser (PyTorch3D's `mesh_laplacian_smoothing`):
 * `(1/V)·Σ_i ‖r_i‖` per mesh over all its vertices, averaged over the meshes,
 * where `r_i` is
 * - `'uniform'`: `mean_{j ∈ N(i)} v_j - v_i` over the neighbours through unique
 *   edges (`-v_i` for a vertex in no face);
 * - `'cot'`: `(Σ_j W_ij v_j)/w_i - v_i` with cotangent weights `W`
 *   (`W_ij = (cot α_ij + cot β_ij)/2` from Heron areas clamped at 1e-12) and
 *   `w_i = Σ_j W_ij` (PyTorch3D keeps `w_i` itself where it is not positive);
 * - `'cotcurv'`: `(Σ_j W_ij v_j - w_i v_i)/(4 A_i)` with `A_i` the area of the
 *   faces around `i` (0 where there are none).
 *
 * As in PyTorch3D the weights are constants for autograd (built without
 * gradient); only the explicit vertex terms are differentiated.
 *
 * @param meshes the meshes.
 * @param opts method.
 * @returns scalar loss.
 * @example
 * ```ts
 * import { icosphere, meshLaplacianSmoothing } from '@fovea/geometry3d';
 * const sphere = icosphere(2);
 * await meshLaplacianSmoothing(sphere, { method: 'uniform' }).data(); // ≈ [0.016]
 * sphere.dispose();
 * ```
 * @category Meshes
 */
export function meshLaplacianSmoothing(meshes: Meshes, opts: MeshLaplacianSmoothingOptions = {}): tf.Tensor {
  const op = 'meshLaplacianSmoothing';
  checkMeshes(op, meshes);
  const method = checkOneOf(op, 'options.method', opts.method ?? 'uniform', ['uniform', 'cot', 'cotcurv'] as const);
  const topo = topologyOf(meshes);
  const N = meshes.length;
  return tf.tidy(() => {
    const verts = meshes.vertsPacked(); // [V, 3]
    if (N === 0 || topo.V === 0) return zerosConnected(verts);
    const r = method === 'uniform' ? uniformResidual(verts, topo) : cotResidual(verts, topo, method); // [V, 3]
    const v2m = topo.vertToMesh();
    const w = Float32Array.from(v2m, (m) => 1 / topo.numVerts[m]!);
    return tf.div(tf.sum(tf.mul(safeNorm(r), tf.tensor1d(w))), N);
  });
}

function uniformResidual(verts: tf.Tensor, topo: Topology): tf.Tensor {
  const { src, dst, weight } = topo.uniformLaplacian();
  if (src.length === 0) return tf.neg(verts);
  const msg = tf.mul(gatherRows(verts, tf.tensor1d(dst, 'int32')), tf.expandDims(tf.tensor1d(weight), 1)); // [2E, 3]
  return tf.sub(scatterAddRows(msg, tf.tensor1d(src, 'int32'), topo.V), verts);
}

function cotResidual(verts: tf.Tensor, topo: Topology, method: 'cot' | 'cotcurv'): tf.Tensor {
  const V = topo.V;
  const F = topo.F;
  if (F === 0) return method === 'cot' ? tf.neg(verts) : tf.zerosLike(verts);
  const f = topo.faces;
  // side k joins corners (k+1)%3 and (k+2)%3 and is weighted by the cotangent at corner k
  const ii = new Int32Array(3 * F);
  const jj = new Int32Array(3 * F);
  for (let i = 0; i < F; i++) {
    for (let k = 0; k < 3; k++) {
      ii[3 * i + k] = f[3 * i + ((k + 1) % 3)]!;
      jj[3 * i + k] = f[3 * i + ((k + 2) % 3)]!;
    }
  }
  const iiT = tf.tensor1d(ii, 'int32');
  const jjT = tf.tensor1d(jj, 'int32');
  const { cot, area } = cotWeights(detach(verts), tf.tensor1d(f, 'int32'), F); // constants: [3F], [F]
  const wSum = tf.add(scatterAddRows(cot, iiT, V), scatterAddRows(cot, jjT, V)); // [V]
  const c = tf.expandDims(cot, 1); // [3F, 1]
  const lv = tf.add(
    scatterAddRows(tf.mul(c, gatherRows(verts, jjT)), iiT, V),
    scatterAddRows(tf.mul(c, gatherRows(verts, iiT)), jjT, V),
  ); // Σ_j W_ij v_j, [V, 3]
  if (method === 'cot') {
    const nw = tf.where(tf.greater(wSum, 0), tf.div(1, tf.where(tf.greater(wSum, 0), wSum, tf.onesLike(wSum))), wSum); // [V]
    return tf.sub(tf.mul(lv, tf.expandDims(nw, 1)), verts);
  }
  const areas = scatterAddRows(tf.reshape(tf.tile(tf.expandDims(area, 1), [1, 3]), [-1]), tf.tensor1d(f, 'int32'), V); // [V]
  const ia = tf.where(tf.greater(areas, 0), tf.div(1, tf.where(tf.greater(areas, 0), areas, tf.onesLike(areas))), tf.zerosLike(areas));
  return tf.mul(tf.sub(lv, tf.mul(tf.expandDims(wSum, 1), verts)), tf.expandDims(tf.mul(ia, 0.25), 1));
}

/** Per face side, `(B² + C² - A²)/(4·area)` style cotangent weights `[3F]` and Heron areas `[F]`. */
function cotWeights(verts: tf.Tensor, faces: tf.Tensor, F: number): { cot: tf.Tensor; area: tf.Tensor } {
  const corners = tf.reshape(gatherRows(verts, faces), [F, 3, 3]); // [F, corner, xyz]
  const [v0, v1, v2] = tf.unstack(corners, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const A = safeNorm(tf.sub(v1, v2)); // [F], side opposite v0
  const B = safeNorm(tf.sub(v0, v2));
  const C = safeNorm(tf.sub(v0, v1));
  const s = tf.mul(tf.add(tf.add(A, B), C), 0.5);
  const area = tf.sqrt(tf.maximum(tf.mul(tf.mul(s, tf.sub(s, A)), tf.mul(tf.sub(s, B), tf.sub(s, C))), 1e-12)); // [F]
  const [A2, B2, C2] = [tf.square(A), tf.square(B), tf.square(C)];
  const cot = tf.stack([tf.sub(tf.add(B2, C2), A2), tf.sub(tf.add(A2, C2), B2), tf.sub(tf.add(A2, B2), C2)], 1); // [F, 3]
  return { cot: tf.reshape(tf.div(cot, tf.mul(tf.expandDims(area, 1), 4)), [-1]), area };
}
