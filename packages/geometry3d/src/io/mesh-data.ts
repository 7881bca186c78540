import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '@fovea/core';
import { Meshes } from '../mesh/meshes.js';

/**
 * A triangle mesh on the host, as the OBJ and PLY readers return it and the
 * writers take it. Polygons are fan-triangulated on reading (as PyTorch3D's
 * `load_obj`).
 *
 * @category IO
 */
export interface MeshData {
  /** `3·V` vertex coordinates. */
  verts: Float32Array;
  /** `3·F` 0-based vertex indices. */
  faces: Int32Array;
  /** `3·V` per-vertex normals (PLY `nx ny nz`), or the OBJ `vn` list (indexed by `faceNormals`); null if absent. */
  normals?: Float32Array | null;
  /** OBJ only: `3·F` indices into `normals` per face corner (-1 where a corner has none); null if absent. */
  faceNormals?: Int32Array | null;
  /** OBJ `vt` texture coordinates, `2·T`; null if absent. */
  uvs?: Float32Array | null;
  /** OBJ only: `3·F` indices into `uvs` per face corner (-1 where none); null if absent. */
  faceUvs?: Int32Array | null;
  /** PLY only: `3·V` per-vertex colours in `[0, 1]` (`red green blue`); null if absent. */
  colors?: Float32Array | null;
}

/**
 * A {@link Meshes} of one mesh from host arrays (e.g. {@link parseObj}'s output).
 *
 * @param data vertices and faces.
 * @returns a one-mesh `Meshes` (dispose it).
 * @example
 * ```ts
 * import { meshesFromData, parseObj } from '@fovea/geometry3d';
 * const mesh = meshesFromData(parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'));
 * mesh.numFacesPerMesh(); // [1]
 * mesh.dispose();
 * ```
 * @category IO
 */
export function meshesFromData(data: MeshData): Meshes {
  checkData('meshesFromData', data);
  const v = tf.tensor2d(data.verts, [data.verts.length / 3, 3]);
  try {
    return new Meshes([v], [data.faces]);
  } finally {
    v.dispose();
  }
}

/**
 * One mesh of a {@link Meshes} as host arrays (reads the vertices back, hence async).
 *
 * @param meshes the meshes.
 * @param index which mesh; default 0.
 * @param opts `withNormals`: also read the area-weighted vertex normals.
 * @returns the mesh's vertices and faces (local indices).
 * @example
 * ```ts
 * import { icosphere, meshDataFromMeshes, formatObj } from '@fovea/geometry3d';
 * const sphere = icosphere(1);
 * const text = formatObj(await meshDataFromMeshes(sphere)); // "v …\nf …"
 * sphere.dispose();
 * ```
 * @category IO
 */
export async function meshDataFromMeshes(meshes: Meshes, index = 0, opts: { withNormals?: boolean } = {}): Promise<MeshData> {
  if (!(meshes instanceof Meshes)) throw new FoveaError({ op: 'meshDataFromMeshes', arg: 'meshes', expected: 'a Meshes', got: typeof meshes });
  const one = meshes.get(index);
  try {
    const verts = (await one.vertsPacked().data()) as Float32Array;
    let normals: Float32Array | null = null;
    if (opts.withNormals) {
      const n = one.vertsNormalsPacked();
      normals = (await n.data()) as Float32Array;
      n.dispose();
    }
    return { verts: Float32Array.from(verts), faces: Int32Array.from(one.facesPackedArray()), normals };
  } finally {
    one.dispose();
  }
}

/** Checks the shape of a {@link MeshData}. */
export function checkData(op: string, data: MeshData): void {
  if (typeof data !== 'object' || data === null) throw new FoveaError({ op, arg: 'data', expected: 'an object {verts, faces}', got: String(data) });
  if (!(data.verts instanceof Float32Array) || data.verts.length % 3 !== 0) {
    throw new FoveaError({ op, arg: 'data.verts', expected: 'a Float32Array of 3·V coordinates', got: describe(data.verts) });
  }
  if (!(data.faces instanceof Int32Array) || data.faces.length % 3 !== 0) {
    throw new FoveaError({ op, arg: 'data.faces', expected: 'an Int32Array of 3·F indices', got: describe(data.faces) });
  }
  const V = data.verts.length / 3;
  const bad = data.faces.findIndex((i) => i < 0 || i >= V);
  if (bad >= 0) throw new FoveaError({ op, arg: 'data.faces', expected: `indices in [0, ${V})`, got: `${data.faces[bad]} at face ${Math.floor(bad / 3)}` });
  if (data.normals && data.normals.length % 3 !== 0) throw new FoveaError({ op, arg: 'data.normals', expected: '3 values per normal', got: `${data.normals.length} values` });
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name} of length ${(x as Float32Array).length}`;
  return typeof x;
}
