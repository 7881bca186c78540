import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
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
  let verts = ICO_V.map((v) => normalize(v));
  let faces = ICO_F.map((f) => [...f]);
  for (let l = 0; l < level; l++) {
    const mid = new Map<number, number>();
    const next = [...verts];
    const V0 = verts.length;
    const m = (a: number, b: number): number => {
      const k = Math.min(a, b) * 4 * V0 + Math.max(a, b);
      let i = mid.get(k);
      if (i === undefined) {
        i = next.length;
        mid.set(k, i);
        next.push(verts[a]!.map((x, d) => (x + verts[b]![d]!) / 2));
      }
      return i;
    };
    const nf: number[][] = [];
    for (const [a, b, c] of faces as [number, number, number][]) {
      const ab = m(a, b);
      const bc = m(b, c);
      const ca = m(c, a);
      nf.push([a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]);
    }
    verts = next.map((v) => normalize(v));
    faces = nf;
  }
  return { verts: Float64Array.from(verts.flat()), faces: Int32Array.from(faces.flat()) };
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return v.map((x) => x / n);
}

/**
 * A unit icosphere (PyTorch3D's `ico_sphere`): level 0 is the regular
 * icosahedron with unit-length vertices; each level splits every triangle into
 * four at its edge midpoints (shared midpoints merged) and projects all
 * vertices onto the unit sphere. Vertex and face order follow PyTorch3D.
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
