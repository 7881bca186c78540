import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, formatShape } from '@fovea/core';
import { Topology } from '../_internal/topology.js';
import { faceAreas } from './face-areas.js';
import { faceNormals } from './face-normals.js';
import { vertexNormals } from './vertex-normals.js';

/**
 * One mesh's triangles on the host: a flat `Int32Array` / number array of
 * `3·F` vertex indices, or `F` triples.
 *
 * @category Meshes
 */
export type FacesInput = Int32Array | Uint32Array | readonly number[] | readonly (readonly number[])[];

const TOPOLOGY = new WeakMap<Meshes, Topology>();

/** The host topology of `m` (private to the package: not exported from the index). */
export function topologyOf(m: Meshes): Topology {
  const t = TOPOLOGY.get(m);
  if (!t) throw new FoveaError({ op: 'Meshes', arg: 'meshes', expected: 'a Meshes', got: typeof m });
  return t;
}

function toFaceArray(op: string, arg: string, faces: FacesInput, V: number): Int32Array {
  let flat: ArrayLike<number>;
  if (Array.isArray(faces) && faces.length > 0 && Array.isArray(faces[0])) {
    const rows = faces as readonly (readonly number[])[];
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== 3) throw new FoveaError({ op, arg: `${arg}[${i}]`, expected: 'a triangle [i0, i1, i2]', got: Array.isArray(r) ? `${r.length} indices` : typeof r });
    });
    flat = rows.flat();
  } else if (Array.isArray(faces) || faces instanceof Int32Array || faces instanceof Uint32Array) {
    flat = faces as ArrayLike<number>;
  } else {
    throw new FoveaError({ op, arg, expected: 'an Int32Array or an array of [i0, i1, i2] triangles', got: typeof faces });
  }
  if (flat.length % 3 !== 0) throw new FoveaError({ op, arg, expected: 'a multiple of 3 indices (triangles)', got: `${flat.length} indices` });
  const out = Int32Array.from(flat);
  for (let i = 0; i < out.length; i++) {
    const v = flat[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= V) {
      throw new FoveaError({ op, arg, expected: `vertex indices in [0, ${V})`, got: `${v} at face ${Math.floor(i / 3)}` });
    }
  }
  return out;
}

/**
 * A batch of triangle meshes (PyTorch3D's `Meshes`): `N` meshes with their own
 * vertex and face counts, with packed (`[ΣV, 3]`, all meshes concatenated),
 * padded (`[N, max V, 3]`) and list views. Vertex positions are a tensor (so
 * losses are differentiable in them); faces and everything derived from them
 * (edges, adjacency) live on the host and are constants, as in PyTorch3D.
 *
 * The `Meshes` keeps its own packed vertex tensor (shared memory, no copy) and
 * releases it on {@link Meshes.dispose}; the tensors you pass stay yours.
 * {@link Meshes.offsetVerts} and {@link Meshes.updatePacked} make a new
 * `Meshes` with the same topology: the way to deform a mesh inside a training
 * step. Build it from device tensors with {@link Meshes.fromTensors}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Meshes } from '@fovea/geometry3d';
 * const verts = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
 * const mesh = new Meshes([verts], [[[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]]]);
 * mesh.numEdgesPerMesh(); // [6]
 * mesh.vertsPacked().shape; // [4, 3]
 * mesh.dispose();
 * verts.dispose();
 * ```
 * @category Meshes
 */
export class Meshes {
  private readonly topo: Topology;
  private readonly verts: tf.Tensor;

  /**
   * @param verts one `[V_i, 3]` float32 tensor per mesh (or a single tensor for one mesh).
   * @param faces one {@link FacesInput} per mesh (or a single one for one mesh), 0-based indices into that mesh's vertices.
   */
  constructor(verts: tf.Tensor | readonly tf.Tensor[], faces: FacesInput | readonly FacesInput[]) {
    const op = 'Meshes';
    const single = !Array.isArray(verts);
    const vList = single ? [verts as tf.Tensor] : (verts as readonly tf.Tensor[]);
    const fList = (single ? [faces] : faces) as readonly FacesInput[];
    if (!Array.isArray(fList) || fList.length !== vList.length) {
      throw new FoveaError({ op, arg: 'faces', expected: `one face array per mesh (${vList.length})`, got: Array.isArray(fList) ? `${fList.length}` : typeof fList });
    }
    vList.forEach((v, i) => checkTensor(op, single ? 'verts' : `verts[${i}]`, v, { shape: [null, 3], dtype: 'float32' }));
    const faceArrays = fList.map((f, i) => toFaceArray(op, single ? 'faces' : `faces[${i}]`, f, vList[i]!.shape[0]!));
    const numVerts = vList.map((v) => v.shape[0]!);
    const numFaces = faceArrays.map((f) => f.length / 3);
    const packed = new Int32Array(numFaces.reduce((a, b) => a + b, 0) * 3);
    let off = 0;
    let vOff = 0;
    faceArrays.forEach((f, i) => {
      for (let k = 0; k < f.length; k++) packed[off + k] = f[k]! + vOff;
      off += f.length;
      vOff += numVerts[i]!;
    });
    this.topo = new Topology(packed, numVerts, numFaces);
    this.verts = vList.length === 0 ? tf.zeros([0, 3]) : vList.length === 1 ? tf.clone(vList[0]!) : tf.concat(vList as tf.Tensor[], 0);
    TOPOLOGY.set(this, this.topo);
  }

  /** A mesh sharing `topo`, owning `verts`. */
  private static derive(verts: tf.Tensor, topo: Topology): Meshes {
    const m = Object.create(Meshes.prototype) as { topo: Topology; verts: tf.Tensor };
    m.topo = topo;
    m.verts = verts;
    TOPOLOGY.set(m as unknown as Meshes, topo);
    return m as unknown as Meshes;
  }

  /**
   * Builds meshes from tensors, reading the faces back from the device (hence
   * async).
   *
   * @param verts `[V, 3]` (one mesh) or a list of `[V_i, 3]`.
   * @param faces int32 `[F, 3]` (one mesh) or a list of `[F_i, 3]`.
   */
  static async fromTensors(verts: tf.Tensor | readonly tf.Tensor[], faces: tf.Tensor | readonly tf.Tensor[]): Promise<Meshes> {
    const op = 'Meshes.fromTensors';
    const fList = Array.isArray(faces) ? (faces as readonly tf.Tensor[]) : [faces as tf.Tensor];
    fList.forEach((f, i) => checkTensor(op, Array.isArray(faces) ? `faces[${i}]` : 'faces', f, { shape: [null, 3], dtype: 'int32' }));
    const arrays = await Promise.all(fList.map(async (f) => (await f.data()) as Int32Array));
    return new Meshes(verts, Array.isArray(faces) ? arrays : arrays[0]!);
  }

  /** Number of meshes `N`. */
  get length(): number {
    return this.topo.numVerts.length;
  }

  /** Whether there are no meshes or no faces at all. */
  isEmpty(): boolean {
    return this.length === 0 || this.topo.F === 0;
  }

  /** Vertices per mesh. */
  numVertsPerMesh(): number[] {
    return [...this.topo.numVerts];
  }

  /** Faces per mesh. */
  numFacesPerMesh(): number[] {
    return [...this.topo.numFaces];
  }

  /** Unique edges per mesh. */
  numEdgesPerMesh(): number[] {
    return [...this.topo.edges().numEdges];
  }

  /** Index of each mesh's first vertex in the packed representation. */
  meshToVertsPackedFirstIdx(): number[] {
    return [...this.topo.vertFirst];
  }

  /** Index of each mesh's first face in the packed representation. */
  meshToFacesPackedFirstIdx(): number[] {
    return [...this.topo.faceFirst];
  }

  /** int32 `[ΣV]`: the mesh of every packed vertex (a new tensor). */
  vertsPackedToMeshIdx(): tf.Tensor {
    return tf.tensor1d(this.topo.vertToMesh(), 'int32');
  }

  /** int32 `[ΣF]`: the mesh of every packed face (a new tensor). */
  facesPackedToMeshIdx(): tf.Tensor {
    return tf.tensor1d(this.topo.faceToMesh(), 'int32');
  }

  /** `[ΣV, 3]` all vertices: the meshes' own tensor (do not dispose it; {@link Meshes.dispose} does). */
  vertsPacked(): tf.Tensor {
    return this.verts;
  }

  /** One new `[V_i, 3]` tensor per mesh. */
  vertsList(): tf.Tensor[] {
    if (this.length === 0) return [];
    if (this.length === 1) return [tf.clone(this.verts)];
    return tf.split(this.verts, [...this.topo.numVerts], 0);
  }

  /** New `[N, max V, 3]` tensor, zero-padded. */
  vertsPadded(): tf.Tensor {
    return tf.tidy(() => {
      const maxV = Math.max(0, ...this.topo.numVerts);
      const parts = this.vertsList().map((v) => tf.pad(v, [[0, maxV - v.shape[0]!], [0, 0]]));
      return parts.length ? tf.stack(parts) : tf.zeros([0, 0, 3]);
    });
  }

  /** int32 `[ΣF, 3]` packed faces (indices into the packed vertices), a new tensor. */
  facesPacked(): tf.Tensor {
    return tf.tensor2d(this.topo.faces, [this.topo.F, 3], 'int32');
  }

  /** The packed faces on the host, `3·ΣF` indices (do not modify). */
  facesPackedArray(): Int32Array {
    return this.topo.faces;
  }

  /** One new int32 `[F_i, 3]` tensor per mesh, indices local to that mesh. */
  facesList(): tf.Tensor[] {
    return this.topo.numFaces.map((n, m) => {
      const start = this.topo.faceFirst[m]! * 3;
      const local = this.topo.faces.slice(start, start + 3 * n).map((v) => v - this.topo.vertFirst[m]!);
      return tf.tensor2d(local, [n, 3], 'int32');
    });
  }

  /** New int32 `[N, max F, 3]`: local face indices, padded with -1. */
  facesPadded(): tf.Tensor {
    const maxF = Math.max(0, ...this.topo.numFaces);
    const out = new Int32Array(this.length * maxF * 3).fill(-1);
    this.topo.numFaces.forEach((n, m) => {
      const start = this.topo.faceFirst[m]! * 3;
      for (let k = 0; k < 3 * n; k++) out[m * maxF * 3 + k] = this.topo.faces[start + k]! - this.topo.vertFirst[m]!;
    });
    return tf.tensor3d(out, [this.length, maxF, 3], 'int32');
  }

  /** int32 `[ΣE, 2]` unique edges `(a, b)`, `a < b`, packed indices, sorted (a new tensor). */
  edgesPacked(): tf.Tensor {
    const { edges } = this.topo.edges();
    return tf.tensor2d(edges, [edges.length / 2, 2], 'int32');
  }

  /** The packed unique edges on the host, `2·ΣE` indices (do not modify). */
  edgesPackedArray(): Int32Array {
    return this.topo.edges().edges;
  }

  /** int32 `[ΣF, 3]`: the edge of each face side `(v1, v2)`, `(v2, v0)`, `(v0, v1)` (a new tensor). */
  facesPackedToEdgesPacked(): tf.Tensor {
    return tf.tensor2d(this.topo.edges().faceToEdge, [this.topo.F, 3], 'int32');
  }

  /** `[ΣF, 3]` unit face normals (see {@link faceNormals}). */
  facesNormalsPacked(): tf.Tensor {
    return tf.tidy(() => faceNormals(this.verts, this.facesPacked()));
  }

  /** `[ΣF]` face areas (see {@link faceAreas}). */
  facesAreasPacked(): tf.Tensor {
    return tf.tidy(() => faceAreas(this.verts, this.facesPacked()));
  }

  /** `[ΣV, 3]` area-weighted unit vertex normals (see {@link vertexNormals}). */
  vertsNormalsPacked(): tf.Tensor {
    return tf.tidy(() => vertexNormals(this.verts, this.facesPacked()));
  }

  /** `[N, 3, 2]` per-mesh axis-aligned bounds: `[..., 0]` min, `[..., 1]` max. */
  getBoundingBoxes(): tf.Tensor {
    return tf.tidy(() => {
      const boxes = this.vertsList().map((v) => (v.shape[0] ? tf.stack([tf.min(v, 0), tf.max(v, 0)], 1) : tf.zeros([3, 2])));
      return boxes.length ? tf.stack(boxes) : tf.zeros([0, 3, 2]);
    });
  }

  /** A new `Meshes` with the same faces and vertices `vertsPacked + offsets` (`offsets [ΣV, 3]`): differentiable in the offsets. */
  offsetVerts(offsets: tf.Tensor): Meshes {
    checkTensor('Meshes.offsetVerts', 'offsets', offsets, { shape: [this.topo.V, 3], dtype: 'float32' });
    return Meshes.derive(tf.add(this.verts, offsets), this.topo);
  }

  /** A new `Meshes` with the same faces and the given packed vertices `[ΣV, 3]` (kept as a clone). */
  updatePacked(verts: tf.Tensor): Meshes {
    checkTensor('Meshes.updatePacked', 'verts', verts, { shape: [this.topo.V, 3], dtype: 'float32' });
    return Meshes.derive(tf.clone(verts), this.topo);
  }

  /** A new `Meshes` with the same faces and vertices scaled by `s` about the origin. */
  scaleVerts(s: number): Meshes {
    if (!Number.isFinite(s)) throw new FoveaError({ op: 'Meshes.scaleVerts', arg: 's', expected: 'a finite number', got: String(s) });
    return Meshes.derive(tf.mul(this.verts, s), this.topo);
  }

  /** A copy with its own vertex tensor. */
  clone(): Meshes {
    return Meshes.derive(tf.clone(this.verts), this.topo);
  }

  /** The mesh at `index` as a new one-mesh `Meshes`. */
  get(index: number): Meshes {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new FoveaError({ op: 'Meshes.get', arg: 'index', expected: `an integer in [0, ${this.length})`, got: String(index) });
    }
    const v0 = this.topo.vertFirst[index]!;
    const nv = this.topo.numVerts[index]!;
    const f0 = this.topo.faceFirst[index]! * 3;
    const faces = this.topo.faces.slice(f0, f0 + 3 * this.topo.numFaces[index]!).map((v) => v - v0);
    const verts = tf.slice(this.verts, [v0, 0], [nv, 3]);
    const m = new Meshes([verts], [faces]);
    verts.dispose();
    return m;
  }

  /** Releases the vertex tensor. */
  dispose(): void {
    if (!this.verts.isDisposed) this.verts.dispose();
  }

  /** `Meshes(N=…, V=[…], F=[…])`. */
  toString(): string {
    return `Meshes(N=${this.length}, V=${formatShape([...this.topo.numVerts])}, F=${formatShape([...this.topo.numFaces])})`;
  }
}
