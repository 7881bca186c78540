import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, defaultGenerator, type Generator } from '@fovea/core';
import { cross, detach, gatherRows, noGrad, safeNorm, zerosConnected } from '../_internal/autograd.js';
import { checkInt } from '../_internal/checks.js';
import { checkMeshes } from '../mesh/mesh-edge-loss.js';
import { faceAreas } from '../mesh/face-areas.js';
import { type Meshes, topologyOf } from '../mesh/meshes.js';

/** Options for {@link samplePointsFromMeshes}. @category Point clouds */
export interface SamplePointsOptions {
  /** `'area'` (default: faces drawn with probability ∝ area, i.e. uniform over the surface, as PyTorch3D) or `'uniform'` (every face equally likely). */
  weighting?: 'area' | 'uniform';
  /** Also return the normal of the face each point lies on; default false. */
  returnNormals?: boolean;
  /** Random source (default: core's default generator). */
  generator?: Generator;
}

/** What {@link samplePointsFromMeshes} returns (the caller disposes the tensors). @category Point clouds */
export interface SampledPoints {
  /** `[N, S, 3]` points; all zero for an empty mesh. */
  points: tf.Tensor;
  /** `[N, S, 3]` unit face normals at the points when `returnNormals`, else null. */
  normals: tf.Tensor | null;
}

/**
 * Samples points on mesh surfaces (PyTorch3D's `sample_points_from_meshes`):
 * for each sample a face is drawn (by area, or uniformly), then a point
 * inside it with barycentric coordinates `(1 - √u, √u·(1 - v), √u·v)`, which
 * is uniform over the triangle. The random draws come from core's seeded
 * generator; the points are differentiable in the mesh vertices (face choice
 * and barycentric coordinates are constants), so Chamfer losses on them train
 * the mesh.
 *
 * @param meshes `N` meshes.
 * @param numSamples points per mesh `S`.
 * @param opts weighting, returnNormals, generator.
 * @returns `points [N, S, 3]` and `normals` or null.
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { icosphere, samplePointsFromMeshes } from '@fovea/geometry3d';
 * const sphere = icosphere(3);
 * const { points } = samplePointsFromMeshes(sphere, 1000, { generator: new Generator(0) });
 * points.shape; // [1, 1000, 3], on the unit sphere (up to the facets)
 * sphere.dispose();
 * ```
 * @category Point clouds
 */
export function samplePointsFromMeshes(meshes: Meshes, numSamples: number, opts: SamplePointsOptions = {}): SampledPoints {
  const op = 'samplePointsFromMeshes';
  checkMeshes(op, meshes);
  const S = checkInt(op, 'numSamples', numSamples, 0);
  const weighting = checkOneOf(op, 'options.weighting', opts.weighting ?? 'area', ['area', 'uniform'] as const);
  const g = opts.generator ?? defaultGenerator();
  const topo = topologyOf(meshes);
  const N = meshes.length;
  // host draws, in a fixed order: face choice, then the barycentric u, v
  const pick = Float32Array.from({ length: N * S }, () => g.random());
  const bu = Float32Array.from({ length: N * S }, () => g.random());
  const bv = Float32Array.from({ length: N * S }, () => g.random());
  return tf.tidy(() => {
    const verts = meshes.vertsPacked();
    const faces = meshes.facesPacked(); // [F, 3]
    if (topo.F === 0 || N * S === 0) {
      const z = zerosConnected(verts, [N, S, 3]);
      return { points: z, normals: opts.returnNormals ? tf.clone(z) : null } as unknown as tf.TensorContainerObject;
    }
    const faceIdx = noGrad(() => [chooseFaces(verts, faces, topo.numFaces, topo.faceFirst, pick, S, weighting)])[0]; // [N·S]
    const valid = Float32Array.from({ length: N * S }, (_, i) => (topo.numFaces[Math.floor(i / Math.max(S, 1))]! > 0 ? 1 : 0));
    const corner = noGrad(() => [tf.reshape(tf.gather(faces, faceIdx), [-1])])[0]; // [N·S·3]
    const tri = tf.reshape(gatherRows(verts, corner), [N * S, 3, 3]); // [N·S, corner, xyz]
    const [a, b, c] = tf.unstack(tri, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const su = tf.sqrt(tf.tensor1d(bu));
    const v = tf.tensor1d(bv);
    const w0 = tf.expandDims(tf.sub(1, su), 1); // [N·S, 1]
    const w1 = tf.expandDims(tf.mul(su, tf.sub(1, v)), 1);
    const w2 = tf.expandDims(tf.mul(su, v), 1);
    const keep = tf.expandDims(tf.tensor1d(valid), 1);
    const pts = tf.mul(tf.add(tf.add(tf.mul(w0, a), tf.mul(w1, b)), tf.mul(w2, c)), keep);
    let normals: tf.Tensor | null = null;
    if (opts.returnNormals) {
      const n = cross(tf.sub(b, a), tf.sub(c, b));
      normals = tf.reshape(tf.mul(tf.div(n, tf.maximum(safeNorm(n, true), 2.220446049250313e-16)), keep), [N, S, 3]);
    }
    return { points: tf.reshape(pts, [N, S, 3]), normals } as unknown as tf.TensorContainerObject;
  }) as unknown as SampledPoints;
}

/** int32 `[N·S]` packed face indices: by inverse CDF of the areas, or uniform. Empty meshes get face 0 (masked later). */
function chooseFaces(
  verts: tf.Tensor,
  faces: tf.Tensor,
  numFaces: readonly number[],
  faceFirst: readonly number[],
  pick: Float32Array,
  S: number,
  weighting: 'area' | 'uniform',
): tf.Tensor {
  const N = numFaces.length;
  if (weighting === 'uniform') {
    return tf.tensor1d(Int32Array.from(pick, (u, i) => {
      const m = Math.floor(i / S);
      return faceFirst[m]! + Math.min(Math.floor(u * numFaces[m]!), Math.max(numFaces[m]! - 1, 0));
    }), 'int32');
  }
  const areas = faceAreas(detach(verts), faces); // [F]
  const parts: tf.Tensor[] = [];
  for (let m = 0; m < N; m++) {
    const Fm = numFaces[m]!;
    if (Fm === 0) {
      parts.push(tf.zeros([S], 'int32'));
      continue;
    }
    const cdf = tf.cumsum(tf.slice(areas, [faceFirst[m]!], [Fm])); // [Fm]
    const total = tf.slice(cdf, [Fm - 1], [1]); // [1]
    const u = tf.tensor1d(pick.subarray(m * S, (m + 1) * S)); // [S] in [0, 1)
    const byArea = tf.reshape(tf.searchSorted(cdf, tf.mul(u, total), 'right'), [S]); // first face whose cdf exceeds u·total
    const uniform = tf.tensor1d(Int32Array.from(pick.subarray(m * S, (m + 1) * S), (x) => Math.min(Math.floor(x * Fm), Fm - 1)), 'int32');
    const idx = tf.where(tf.greater(tf.tile(total, [S]), 0), tf.minimum(byArea, tf.scalar(Fm - 1, 'int32')), uniform); // zero total area: uniform
    parts.push(tf.add(idx, tf.scalar(faceFirst[m]!, 'int32')));
  }
  return tf.concat(parts);
}
