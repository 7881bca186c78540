/** Private host-side face subdivision in PyTorch3D's `SubdivideMeshes` order. */
import { Topology } from './topology.js';

/**
 * Splits every triangle of one mesh into four (PyTorch3D's
 * `SubdivideMeshes.subdivide_faces`): one new vertex per unique edge, indexed
 * `V + e` in sorted-edge order; for face `(v0, v1, v2)` with side edges
 * `e0 = (v1, v2)`, `e1 = (v2, v0)`, `e2 = (v0, v1)` the new faces are
 * `(v0, e2, e1)`, `(v1, e0, e2)`, `(v2, e1, e0)` and `(e0, e1, e2)`, grouped
 * as all first faces, then all second, third and fourth.
 *
 * @returns the unique edges (`2·E`, endpoints of each new vertex) and the `3·4F` new faces.
 */
export function subdivideFaceArrays(faces: Int32Array, V: number): { edges: Int32Array; faces: Int32Array } {
  const F = faces.length / 3;
  const { edges, faceToEdge } = new Topology(faces, [V], [F]).edges();
  const out = new Int32Array(12 * F);
  for (let i = 0; i < F; i++) {
    const [v0, v1, v2] = [faces[3 * i]!, faces[3 * i + 1]!, faces[3 * i + 2]!];
    const [e0, e1, e2] = [V + faceToEdge[3 * i]!, V + faceToEdge[3 * i + 1]!, V + faceToEdge[3 * i + 2]!];
    out.set([v0, e2, e1], 3 * i);
    out.set([v1, e0, e2], 3 * (F + i));
    out.set([v2, e1, e0], 3 * (2 * F + i));
    out.set([e0, e1, e2], 3 * (3 * F + i));
  }
  return { edges, faces: out };
}
