/**
 * Private port of scikit-image's Lewiner marching cubes, part 3: the walk
 * over the volume (see `lewiner-cell.ts`).
 */
import { Cell, luts, type RawMesh } from './lewiner-cell.js';
import { bigSwitch } from './lewiner-switch.js';

export type { RawMesh };

/**
 * Marching cubes on a `[nz, ny, nx]` float32 volume (C order) at `level`, step 1.
 *
 * @returns skimage's raw vertices (x, y, z), accumulated gradients and right-handed faces.
 */
export function lewinerMarchingCubes(volume: Float32Array, nz: number, ny: number, nx: number, level: number): RawMesh {
  const L = luts();
  const cell = new Cell(L, nx, ny);
  const at = (z: number, y: number, x: number): number => volume[(z * ny + y) * nx + x]!;
  const corners = new Array<number>(8);
  const CASES = L['CASES']!;
  for (let z = 0; z < nz - 1; z++) {
    cell.newZValue();
    for (let y = 0; y < ny - 1; y++) {
      for (let x = 0; x < nx - 1; x++) {
        corners[0] = at(z, y, x);
        corners[1] = at(z, y, x + 1);
        corners[2] = at(z, y + 1, x + 1);
        corners[3] = at(z, y + 1, x);
        corners[4] = at(z + 1, y, x);
        corners[5] = at(z + 1, y, x + 1);
        corners[6] = at(z + 1, y + 1, x + 1);
        corners[7] = at(z + 1, y + 1, x);
        cell.setCube(level, x, y, z, 1, corners);
        const kase = CASES.get2(cell.index, 0);
        if (kase > 0) bigSwitch(L, cell, kase, CASES.get2(cell.index, 1));
      }
    }
  }
  return { vertices: cell.verts.view().slice(), normals: cell.grads.view().slice(), faces: cell.faces.view().slice() };
}
