import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkOneOf, checkTensor } from '@fovea/core';
import { lewinerMarchingCubes } from '../_internal/lewiner.js';

/** Options for {@link marchingCubes}. @category Implicit surfaces */
export interface MarchingCubesOptions {
  /** The iso-value; default `(min + max) / 2` of the volume. Inside is where the volume is above it. */
  level?: number;
  /** Voxel size along the three axes `[sd, sh, sw]`; default `[1, 1, 1]` (vertices in voxel-index units). */
  spacing?: readonly [number, number, number];
  /** `'descent'` (default: the object is where values are larger) or `'ascent'`; flips the face winding. */
  gradientDirection?: 'descent' | 'ascent';
}

/** A triangle mesh on the host, as {@link marchingCubesArrays} returns it. @category Implicit surfaces */
export interface MeshArrays {
  /** `3·V` vertex coordinates in array-axis order `(d, h, w)` (scaled by `spacing`). */
  verts: Float32Array;
  /** `3·F` vertex indices. */
  faces: Int32Array;
  /** `3·V` unit normals from the volume's gradient. */
  normals: Float32Array;
}

/** What {@link marchingCubes} returns (the caller disposes the tensors). @category Implicit surfaces */
export interface MarchingCubesResult {
  /** `[V, 3]` vertices in array-axis order `(d, h, w)`, voxel-index units times `spacing`. */
  verts: tf.Tensor;
  /** int32 `[F, 3]` triangles. */
  faces: tf.Tensor;
  /** `[V, 3]` unit normals from the volume's gradient. */
  normals: tf.Tensor;
}

/**
 * {@link marchingCubes} on a host array: `data` is a `[D, H, W]` volume in
 * C order.
 *
 * @param data `D·H·W` values.
 * @param shape `[D, H, W]`, each `>= 2`.
 * @param opts level, spacing, gradientDirection.
 * @returns vertices, faces and normals as typed arrays (empty when the level is outside the values).
 * @example
 * ```ts
 * import { marchingCubesArrays } from '@fovea/geometry3d';
 * const n = 8;
 * const vol = new Float32Array(n * n * n).map((_, i) => {
 *   const [z, y, x] = [Math.floor(i / 64), Math.floor(i / 8) % 8, i % 8];
 *   return 2.5 - Math.hypot(z - 3.5, y - 3.5, x - 3.5); // a sphere of radius 2.5
 * });
 * const { verts, faces } = marchingCubesArrays(vol, [n, n, n], { level: 0 });
 * faces.length / 3; // the triangles of a closed sphere
 * ```
 * @category Implicit surfaces
 */
export function marchingCubesArrays(data: Float32Array | ArrayLike<number>, shape: readonly [number, number, number], opts: MarchingCubesOptions = {}): MeshArrays {
  const op = 'marchingCubes';
  if (!Array.isArray(shape) || shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 2)) {
    throw new FoveaError({ op, arg: 'volume', expected: 'shape [D, H, W] with every dim >= 2', got: `shape [${Array.isArray(shape) ? shape.join(', ') : shape}]` });
  }
  const [D, H, W] = shape;
  if (data.length !== D * H * W) throw new FoveaError({ op, arg: 'data', expected: `${D * H * W} values`, got: `${data.length}` });
  const vol = data instanceof Float32Array ? data : Float32Array.from(data);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < vol.length; i++) {
    const v = vol[i]!;
    if (!Number.isFinite(v)) throw new FoveaError({ op, arg: 'volume', expected: 'finite values', got: `${v} at index ${i}` });
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const level = checkNumber(op, 'options.level', opts.level ?? 0.5 * (lo + hi));
  const spacing = opts.spacing ?? [1, 1, 1];
  if (!Array.isArray(spacing) || spacing.length !== 3) throw new FoveaError({ op, arg: 'options.spacing', expected: '[sd, sh, sw]', got: String(spacing) });
  spacing.forEach((s, i) => checkNumber(op, `options.spacing[${i}]`, s, { gt: 0 }));
  const dir = checkOneOf(op, 'options.gradientDirection', opts.gradientDirection ?? 'descent', ['descent', 'ascent'] as const);
  if (level < lo || level > hi) return { verts: new Float32Array(0), faces: new Int32Array(0), normals: new Float32Array(0) };
  const raw = lewinerMarchingCubes(vol, D, H, W, level);
  const V = raw.vertices.length / 3;
  const verts = new Float32Array(3 * V);
  const normals = new Float32Array(3 * V);
  for (let i = 0; i < V; i++) {
    // skimage's (x, y, z) → array order (d, h, w)
    for (let k = 0; k < 3; k++) verts[3 * i + k] = raw.vertices[3 * i + 2 - k]! * spacing[k]!;
    const g = [raw.normals[3 * i + 2]!, raw.normals[3 * i + 1]!, raw.normals[3 * i]!];
    const len = g[0]! * g[0]! + g[1]! * g[1]! + g[2]! * g[2]!;
    const inv = len > 0 ? 1 / Math.sqrt(len) : 0;
    for (let k = 0; k < 3; k++) normals[3 * i + k] = g[k]! * inv;
  }
  const faces = raw.faces;
  if (dir === 'descent') {
    // skimage's MC is right-handed; its 'descent' output reverses each triangle
    for (let f = 0; f < faces.length; f += 3) {
      const t = faces[f]!;
      faces[f] = faces[f + 2]!;
      faces[f + 2] = t;
    }
  }
  return { verts, faces, normals };
}

/**
 * Extracts the iso-surface of a scalar volume as a triangle mesh (scikit-image's
 * `marching_cubes(volume, level)`, Lewiner et al.'s topologically correct
 * marching cubes 33): the same triangulation, vertex order and face order as
 * skimage 0.19. Vertices lie on cube edges at the linear interpolation of the
 * level; shared vertices are merged. Vertices come in array-axis order
 * `(d, h, w)`, as skimage's; with the default `'descent'` the triangles are
 * counter-clockwise seen from outside in `(x, y, z) = (w, h, d)` order (reverse
 * the columns, e.g. `tf.reverse(verts, 1)`, for outward normals and a positive
 * {@link meshVolume}). Reads the volume back (hence async); the result is a
 * constant (use it to visualise or evaluate an implicit surface).
 *
 * @param volume `[D, H, W]` float32 values (e.g. occupancy probabilities or a signed distance), every dim `>= 2`.
 * @param opts level, spacing, gradientDirection.
 * @returns `verts [V, 3]`, `faces [F, 3]`, `normals [V, 3]` (empty when the level is outside the values).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { marchingCubes } from '@fovea/geometry3d';
 * const n = 16;
 * const r = tf.tidy(() => {
 *   const c = tf.sub(tf.range(0, n), (n - 1) / 2);
 *   const [z, y, x] = [tf.reshape(c, [n, 1, 1]), tf.reshape(c, [1, n, 1]), tf.reshape(c, [1, 1, n])];
 *   return tf.sqrt(tf.add(tf.add(tf.square(z), tf.square(y)), tf.square(x)));
 * });
 * const { verts, faces, normals } = await marchingCubes(tf.sub(5, r), { level: 0 });
 * verts.shape; // [V, 3], on a sphere of radius ≈ 5 around (7.5, 7.5, 7.5)
 * ```
 * @category Implicit surfaces
 */
export async function marchingCubes(volume: tf.Tensor, opts: MarchingCubesOptions = {}): Promise<MarchingCubesResult> {
  checkTensor('marchingCubes', 'volume', volume, { rank: 3, dtype: 'float32' });
  const shape = volume.shape as [number, number, number];
  if (shape.some((d) => d < 2)) {
    throw new FoveaError({ op: 'marchingCubes', arg: 'volume', expected: 'shape [D, H, W] with every dim >= 2', got: `shape [${shape.join(', ')}]` });
  }
  const m = marchingCubesArrays((await volume.data()) as Float32Array, shape, opts);
  const V = m.verts.length / 3;
  return {
    verts: tf.tensor2d(m.verts, [V, 3]),
    faces: tf.tensor2d(m.faces, [m.faces.length / 3, 3], 'int32'),
    normals: tf.tensor2d(m.normals, [V, 3]),
  };
}
