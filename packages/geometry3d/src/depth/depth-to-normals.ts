import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkOneOf, checkTensor } from '@fovea/core';
import { cross, safeNorm } from '../_internal/autograd.js';
import { pixelGrid } from '../_internal/grid.js';

/** Options for {@link depthToNormals}. @category Depth */
export interface DepthToNormalsOptions {
  /** `'perspective'` (default: pinhole back-projection `X = (u - cx)·Z / fx`) or `'orthographic'` (`X = (u - cx) / fx`, fx in pixels per unit). */
  projection?: 'perspective' | 'orthographic';
  /** Focal length along x, pixels (required). */
  fx: number;
  /** Focal length along y, pixels (required). */
  fy: number;
  /** Principal point x (column); default `(W - 1) / 2`. */
  cx?: number;
  /** Principal point y (row); default `(H - 1) / 2`. */
  cy?: number;
}

/**
 * Surface normals from a depth map: back-project every pixel `(v, u)` (row,
 * column) to a camera-frame point `P = (X, Y, Z)` with `Z = depth`, take
 * `∂P/∂u` and `∂P/∂v` with `numpy.gradient`'s differences (central inside,
 * one-sided at the borders), and normalise `∂P/∂v × ∂P/∂u`. The camera frame is
 * x right, y down, z forward, so normals face the camera: a fronto-parallel
 * plane gives `(0, 0, -1)`. Differentiable in `depth`.
 *
 * @param depth `[B, H, W]` positive depths, `H, W >= 2`.
 * @param opts projection and intrinsics.
 * @returns `[B, H, W, 3]` unit normals (x, y, z channels last; `nhwcToNchw` gives PyTorch's `[B, 3, H, W]`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { depthToNormals } from '@fovea/geometry3d';
 * const n = depthToNormals(tf.fill([1, 4, 4], 2), { fx: 50, fy: 50 });
 * await n.data(); // (0, 0, -1) at every pixel
 * ```
 * @category Depth
 */
export function depthToNormals(depth: tf.Tensor, opts: DepthToNormalsOptions): tf.Tensor {
  const op = 'depthToNormals';
  checkTensor(op, 'depth', depth, { shape: ['B', 'H', 'W'], dtype: 'float32' });
  const [, H, W] = depth.shape as [number, number, number];
  if (H < 2 || W < 2) throw new FoveaError({ op, arg: 'depth', expected: 'H >= 2 and W >= 2', got: `shape [${depth.shape.join(', ')}]` });
  if (typeof opts !== 'object' || opts === null) throw new FoveaError({ op, arg: 'options', expected: 'an object with fx and fy', got: String(opts) });
  const projection = checkOneOf(op, 'options.projection', opts.projection ?? 'perspective', ['perspective', 'orthographic'] as const);
  const fx = checkNumber(op, 'options.fx', opts.fx, { gt: 0 });
  const fy = checkNumber(op, 'options.fy', opts.fy, { gt: 0 });
  const cx = checkNumber(op, 'options.cx', opts.cx ?? (W - 1) / 2);
  const cy = checkNumber(op, 'options.cy', opts.cy ?? (H - 1) / 2);
  return tf.tidy(() => {
    const [u, v] = pixelGrid(H, W); // [H, W] each
    const Z = depth; // [B, H, W]
    const xs = tf.div(tf.sub(u, cx), fx);
    const ys = tf.div(tf.sub(v, cy), fy);
    const X = projection === 'perspective' ? tf.mul(xs, Z) : tf.mul(xs, tf.onesLike(Z));
    const Y = projection === 'perspective' ? tf.mul(ys, Z) : tf.mul(ys, tf.onesLike(Z));
    const P = tf.stack([X, Y, Z], 3); // [B, H, W, 3]
    const n = cross(gradientAlong(P, 1), gradientAlong(P, 2)); // Dv × Du, [B, H, W, 3]
    return tf.div(n, tf.maximum(safeNorm(n, true), 1e-12));
  });
}

/** `numpy.gradient(x, axis)` with unit spacing and `edge_order=1` (size along `axis` >= 2). */
function gradientAlong(x: tf.Tensor, axis: number): tf.Tensor {
  const n = x.shape[axis]!;
  const take = (start: number, size: number): tf.Tensor => {
    const begin = x.shape.map((_, i) => (i === axis ? start : 0));
    const sz = x.shape.map((d, i) => (i === axis ? size : d));
    return tf.slice(x, begin, sz);
  };
  const first = tf.sub(take(1, 1), take(0, 1));
  const last = tf.sub(take(n - 1, 1), take(n - 2, 1));
  if (n === 2) return tf.concat([first, last], axis);
  const inner = tf.div(tf.sub(take(2, n - 2), take(0, n - 2)), 2);
  return tf.concat([first, inner, last], axis);
}
