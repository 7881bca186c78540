import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkOneOf, checkTensor } from '@fovea/core';
import { Meshes } from '../mesh/meshes.js';

/** How {@link cubify} places the cubes relative to the grid. @category Voxels */
export type CubifyAlign = 'topleft' | 'corner' | 'center';

/** Options for {@link cubify}. @category Voxels */
export interface CubifyOptions {
  /**
   * PyTorch3D's `align`: `'topleft'` (default: each cube's top-left corner at
   * its grid location), `'corner'` (the mesh spans exactly `[-1, 1]`) or
   * `'center'` (grid locations at the cube centres). `'topleft'` and
   * `'center'` need every voxel dim `>= 2`.
   */
  align?: CubifyAlign;
}

// a unit cube: corners as (x, y, z) = (w, h, d) offsets, and its 12 triangles (PyTorch3D's order)
const CUBE_VERTS = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]];
const CUBE_FACES = [
  [0, 1, 2], [1, 3, 2], // left (w - 1)
  [2, 3, 6], [3, 7, 6], // bottom (h + 1)
  [0, 2, 6], [0, 6, 4], // front (d - 1)
  [0, 5, 1], [0, 4, 5], // up (h - 1)
  [6, 7, 5], [6, 5, 4], // right (w + 1)
  [1, 7, 3], [1, 5, 7], // back (d + 1)
];
// neighbour across each triangle's square: [dd, dh, dw]
const NEIGHBOUR = [[0, 0, -1], [0, 0, -1], [0, 1, 0], [0, 1, 0], [-1, 0, 0], [-1, 0, 0], [0, -1, 0], [0, -1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0], [1, 0, 0]];

/**
 * Converts voxel occupancies to a mesh of cubes (PyTorch3D's `cubify`): every
 * voxel with probability `>= thresh` becomes a unit cube; faces between two
 * occupied voxels are removed and shared corners merged. Vertex coordinates
 * follow PyTorch3D (`x` along W, `y` along H, `z` along D, mapped into
 * `[-1, 1]` by `align`), as do the vertex order (grid order) and face order
 * (voxel by voxel, 12 triangles each). Reads the voxels back (hence async).
 *
 * @param voxels `[N, D, H, W]` occupancy probabilities.
 * @param thresh occupancy threshold (`>=`).
 * @param opts align.
 * @returns a {@link Meshes} with `N` meshes (possibly empty); dispose it.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cubify } from '@fovea/geometry3d';
 * const vox = tf.zeros([1, 3, 3, 3]).bufferSync();
 * vox.set(1, 0, 1, 1, 1);
 * const cube = await cubify(vox.toTensor(), 0.5);
 * cube.numVertsPerMesh(); // [8]
 * cube.numFacesPerMesh(); // [12]
 * cube.dispose();
 * ```
 * @category Voxels
 */
export async function cubify(voxels: tf.Tensor, thresh: number, opts: CubifyOptions = {}): Promise<Meshes> {
  const op = 'cubify';
  checkTensor(op, 'voxels', voxels, { shape: ['N', 'D', 'H', 'W'], dtype: 'float32' });
  const t = checkNumber(op, 'thresh', thresh);
  const align = checkOneOf(op, 'options.align', opts.align ?? 'topleft', ['topleft', 'corner', 'center'] as const);
  const [N, D, H, W] = voxels.shape as [number, number, number, number];
  if (align !== 'corner' && (D < 2 || H < 2 || W < 2)) {
    throw new FoveaError({ op, arg: 'voxels', expected: `every voxel dim >= 2 with align '${align}' (or align 'corner')`, got: `shape [${voxels.shape.join(', ')}]` });
  }
  const data = (await voxels.data()) as Float32Array;
  const vertsList: tf.Tensor[] = [];
  const facesList: Int32Array[] = [];
  for (let n = 0; n < N; n++) {
    const { verts, faces } = cubifyOne(data.subarray(n * D * H * W, (n + 1) * D * H * W), D, H, W, t, align);
    vertsList.push(tf.tensor2d(verts, [verts.length / 3, 3]));
    facesList.push(faces);
  }
  try {
    return new Meshes(vertsList, facesList);
  } finally {
    tf.dispose(vertsList);
  }
}

function cubifyOne(vox: Float32Array, D: number, H: number, W: number, thresh: number, align: CubifyAlign): { verts: Float32Array; faces: Int32Array } {
  const occ = (d: number, h: number, w: number): boolean =>
    d >= 0 && d < D && h >= 0 && h < H && w >= 0 && w < W && vox[(d * H + h) * W + w]! >= thresh;
  // grid corners raveled as (y, x, z) = (h, w, d) over (H+1, W+1, D+1), as PyTorch3D
  const gridIndex = (h: number, w: number, d: number): number => (h * (W + 1) + w) * (D + 1) + d;
  const tris: number[] = [];
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      for (let d = 0; d < D; d++) {
        if (!occ(d, h, w)) continue;
        for (let k = 0; k < 12; k++) {
          const [dd, dh, dw] = NEIGHBOUR[k]!;
          if (occ(d + dd!, h + dh!, w + dw!)) continue;
          for (const c of CUBE_FACES[k]!) {
            const [cx, cy, cz] = CUBE_VERTS[c]!;
            tris.push(gridIndex(h + cy!, w + cx!, d + cz!));
          }
        }
      }
    }
  }
  const used = new Uint8Array((H + 1) * (W + 1) * (D + 1));
  for (const g of tris) used[g] = 1;
  const rank = new Int32Array(used.length);
  const coords: number[] = [];
  const margin = align === 'corner' ? 0 : 1;
  const shift = align === 'center' ? 0.5 : 0;
  let r = 0;
  for (let g = 0; g < used.length; g++) {
    if (!used[g]) continue;
    rank[g] = r++;
    const d = g % (D + 1);
    const w = Math.floor(g / (D + 1)) % (W + 1);
    const h = Math.floor(g / ((D + 1) * (W + 1)));
    coords.push(((w - shift) * 2) / (W - margin) - 1, ((h - shift) * 2) / (H - margin) - 1, ((d - shift) * 2) / (D - margin) - 1);
  }
  return { verts: Float32Array.from(coords), faces: Int32Array.from(tris, (g) => rank[g]!) };
}
