import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { subdivideFaceArrays } from '../_internal/subdivide.js';
import { Meshes } from './meshes.js';

const PHI = (1 + Math.sqrt(5)) / 2;
// vertex order and faces of pytorch3d/utils/ico_sphere.py (its level 0 is these points, rounded)
const ICO_V = [
  [-1, PHI, 0], [1, PHI, 0], [-1, -PHI, 0], [1, -PHI, 0], [0, -1, PHI], [0, 1, PHI],
  [0, -1, -PHI], [0, 1, -PHI], [PHI, 0, -1], [PHI, 0, 1], [-PHI, 0, -1], [-PHI, 0, 1],
];
const ICO_F = [
  [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
  [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
];

/**
 * The icosphere's vertices (float64, unit length) and faces on the host, as
 * {@link icosphere} builds them.
 *
 * @param level subdivisions `n >= 0`.
 * @returns `verts` (`3·V` coordinates, `V = 10·4ⁿ + 2`) and `faces` (`3·F` indices, `F = 20·4ⁿ`).
 * @example
 * ```ts
 * import { icosphereArrays } from '@fovea/geometry3d';
 * const { verts, faces } = icosphereArrays(1);
 * verts.length / 3; // 42
 * faces.length / 3; // 80
 * ```
 * @category Meshes
 */
export function icosphereArrays(level: number): { verts: Float64Array; faces: Int32Array } {
  checkNumber('icosphere', 'level', level, { integer: true, min: 0, max: 8 });
  let verts: Float64Array = Float64Array.from(ICO_V.flatMap((v) => normalize(v)));
  let faces: Int32Array = Int32Array.from(ICO_F.flat());
  for (let l = 0; l < level; l++) {
    const V = verts.length / 3;
    const { edges, faces: next } = subdivideFaceArrays(faces, V);
    const out = new Float64Array(3 * (V + edges.length / 2));
    out.set(verts);
    for (let e = 0; e < edges.length / 2; e++) {
      const a = edges[2 * e]!;
      const b = edges[2 * e + 1]!;
      const mid = [0, 1, 2].map((d) => (verts[3 * a + d]! + verts[3 * b + d]!) / 2);
      out.set(normalize(mid), 3 * (V + e));
    }
    for (let i = 0; i < V; i++) out.set(normalize([verts[3 * i]!, verts[3 * i + 1]!, verts[3 * i + 2]!]), 3 * i);
    verts = out;
    faces = next;
  }
  return { verts, faces };
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return v.map((x) => x / n);
}

/**
 * A unit icosphere (PyTorch3D's `ico_sphere`): level 0 is the regular
 * icosahedron with unit-length vertices; each level splits every triangle into
 * four at its edge midpoints ({@link subdivideMeshes}: shared midpoints merged,
 * one per unique edge in sorted-edge order) and projects all vertices onto the
 * unit sphere. Vertex and face order follow PyTorch3D's `SubdivideMeshes`.
 * Faces are counter-clockwise seen from outside (normals point out).
 *
 * @param level subdivisions `n` (0–8): `10·4ⁿ + 2` vertices, `20·4ⁿ` faces, `30·4ⁿ` edges.
 * @returns a one-mesh {@link Meshes} (dispose it).
 * @example
 * ```ts
 * import { icosphere } from '@fovea/geometry3d';
 * const sphere = icosphere(2);
 * sphere.numVertsPerMesh(); // [162]
 * sphere.numFacesPerMesh(); // [320]
 * sphere.dispose();
 * ```
 * @category Meshes
 */
export function icosphere(level = 0): Meshes {
  const { verts, faces } = icosphereArrays(level);
  const v = tf.tensor2d(Float32Array.from(verts), [verts.length / 3, 3]);
  const mesh = new Meshes([v], [faces]);
  v.dispose();
  return mesh;
}
