import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor } from '@fovea/core';
import { gatherRows, noGrad } from '../_internal/autograd.js';
import { checkBoolean } from '../_internal/checks.js';
import { toFloat } from '../_internal/dtype.js';
import { Meshes } from './meshes.js';

/** Options for {@link vertAlign}. @category Meshes */
export interface VertAlignOptions {
  /** `grid_sample`'s `align_corners`: -1 and 1 are the centres of the corner pixels (default true, as PyTorch3D) or their outer edges. */
  alignCorners?: boolean;
  /** Outside the image: `'zeros'` (default) or `'border'` (clamp to the edge pixels). */
  paddingMode?: 'zeros' | 'border';
  /** With {@link Meshes} input, return packed `[ΣV, C]` features instead of padded `[N, max V, C]`; default false. */
  returnPacked?: boolean;
}

/**
 * Vertex-aligned image features (PyTorch3D's `vert_align`, as Pixel2Mesh and
 * Mesh R-CNN use it): each vertex's `(x, y)` (in `[-1, 1]`, x along the image
 * width, y along its height, e.g. from {@link PinholeCamera.toNdc}) samples
 * every feature map bilinearly (`grid_sample`), and the samples are
 * concatenated along channels. Differentiable in the features and the
 * vertex positions.
 *
 * @param feats `[N, H, W, C]` feature map (NHWC), or several with the same `N` (concatenated: `C = ΣC_i`).
 * @param verts `[N, V, 2 or 3]` positions (only x and y are used), or a {@link Meshes} of `N` meshes (its padded vertices).
 * @param opts alignCorners, paddingMode, returnPacked.
 * @returns `[N, V, C]` (or `[ΣV, C]` with `returnPacked`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vertAlign } from '@fovea/geometry3d';
 * const feats = tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]); // a 2×2 image
 * const verts = tf.tensor3d([[[-1, -1], [1, 1], [0, 0]]]);
 * await vertAlign(feats, verts).data(); // [0, 3, 1.5]
 * ```
 * @category Meshes
 */
export function vertAlign(feats: tf.Tensor | readonly tf.Tensor[], verts: tf.Tensor | Meshes, opts: VertAlignOptions = {}): tf.Tensor {
  const op = 'vertAlign';
  const list = Array.isArray(feats) ? (feats as readonly tf.Tensor[]) : [feats as tf.Tensor];
  if (list.length === 0) throw new FoveaError({ op, arg: 'feats', expected: 'at least one feature map', got: 'an empty list' });
  const dims: Record<string, number> = {};
  list.forEach((f, i) => checkTensor(op, Array.isArray(feats) ? `feats[${i}]` : 'feats', f, { shape: ['N', null, null, null], dtype: 'float32' }, dims));
  const alignCorners = checkBoolean(op, 'options.alignCorners', opts.alignCorners ?? true);
  const padding = checkOneOf(op, 'options.paddingMode', opts.paddingMode ?? 'zeros', ['zeros', 'border'] as const);
  const meshes = verts instanceof Meshes ? verts : null;
  if (meshes && meshes.length !== dims['N']) {
    throw new FoveaError({ op, arg: 'verts', expected: `${dims['N']} meshes (one per feature map)`, got: `${meshes.length}` });
  }
  if (!meshes) {
    checkTensor(op, 'verts', verts, { shape: ['N', 'V', null], dtype: 'float32' }, dims);
    const d = (verts as tf.Tensor).shape[2]!;
    if (d !== 2 && d !== 3) throw new FoveaError({ op, arg: 'verts', expected: 'shape [N, V, 2] or [N, V, 3]', got: `shape [${(verts as tf.Tensor).shape.join(', ')}]` });
  }
  return tf.tidy(() => {
    const v = meshes ? meshes.vertsPadded() : (verts as tf.Tensor); // [N, V, D]
    const [N, V] = v.shape as [number, number];
    const xy = tf.slice(v, [0, 0, 0], [N, V, 2]); // [N, V, 2]
    const out = tf.concat(list.map((f) => bilinear(f, xy, alignCorners, padding)), 2); // [N, V, C]
    if (!meshes || !opts.returnPacked) return out;
    const parts = meshes.numVertsPerMesh().map((n, i) => tf.slice(out, [i, 0, 0], [1, n, out.shape[2]!]));
    return tf.reshape(tf.concat(parts, 1), [-1, out.shape[2]!]); // [ΣV, C]
  });
}

/** `grid_sample(feats, xy, bilinear)`: `[N, H, W, C]` at `[N, V, 2]` → `[N, V, C]`. */
function bilinear(feats: tf.Tensor, xy: tf.Tensor, alignCorners: boolean, padding: 'zeros' | 'border'): tf.Tensor {
  const [N, H, W, C] = feats.shape as [number, number, number, number];
  const V = xy.shape[1]!;
  const [x, y] = tf.unstack(xy, 2) as [tf.Tensor, tf.Tensor]; // [N, V] each
  const unnorm = (t: tf.Tensor, size: number): tf.Tensor =>
    alignCorners ? tf.mul(tf.add(t, 1), (size - 1) / 2) : tf.div(tf.sub(tf.mul(tf.add(t, 1), size), 1), 2);
  let ix = unnorm(x, W); // [N, V] pixel coordinates
  let iy = unnorm(y, H);
  if (padding === 'border') {
    ix = tf.clipByValue(ix, 0, W - 1);
    iy = tf.clipByValue(iy, 0, H - 1);
  }
  const [x0, y0] = noGrad(() => [tf.floor(ix), tf.floor(iy)]);
  const wx1 = tf.sub(ix, x0!);
  const wy1 = tf.sub(iy, y0!);
  const wx0 = tf.sub(1, wx1);
  const wy0 = tf.sub(1, wy1);
  const flat = tf.reshape(feats, [N * H * W, C]); // [N·H·W, C]
  const corner = (dx: number, dy: number, w: tf.Tensor): tf.Tensor => {
    const [idx, ok] = noGrad(() => {
      const cx = tf.add(x0!, dx);
      const cy = tf.add(y0!, dy);
      const inside = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(cx, 0), tf.lessEqual(cx, W - 1)), tf.logicalAnd(tf.greaterEqual(cy, 0), tf.lessEqual(cy, H - 1)));
      const base = tf.reshape(tf.range(0, N * H * W, H * W, 'float32'), [N, 1]); // [N, 1]
      const lin = tf.add(tf.add(base, tf.mul(tf.clipByValue(cy, 0, H - 1), W)), tf.clipByValue(cx, 0, W - 1)); // [N, V]
      return [tf.cast(tf.reshape(lin, [-1]), 'int32'), toFloat(inside)];
    });
    const vals = tf.reshape(gatherRows(flat, idx!), [N, V, C]);
    return tf.mul(vals, tf.expandDims(tf.mul(w, ok!), 2));
  };
  return tf.addN([corner(0, 0, tf.mul(wx0, wy0)), corner(1, 0, tf.mul(wx1, wy0)), corner(0, 1, tf.mul(wx0, wy1)), corner(1, 1, tf.mul(wx1, wy1))]);
}
