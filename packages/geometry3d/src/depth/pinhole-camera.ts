import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor } from '@fovea/core';
import { pixelGrid } from '../_internal/grid.js';

/** Pinhole intrinsics in pixels. @category Depth */
export interface CameraIntrinsics {
  /** Focal length along x (columns), pixels. */
  fx: number;
  /** Focal length along y (rows), pixels. */
  fy: number;
  /** Principal point, column. */
  cx: number;
  /** Principal point, row. */
  cy: number;
}

function checkIntrinsics(op: string, k: CameraIntrinsics): CameraIntrinsics {
  if (typeof k !== 'object' || k === null) throw new FoveaError({ op, arg: 'intrinsics', expected: 'an object {fx, fy, cx, cy}', got: String(k) });
  return {
    fx: checkNumber(op, 'intrinsics.fx', k.fx, { gt: 0 }),
    fy: checkNumber(op, 'intrinsics.fy', k.fy, { gt: 0 }),
    cx: checkNumber(op, 'intrinsics.cx', k.cx),
    cy: checkNumber(op, 'intrinsics.cy', k.cy),
  };
}

/**
 * Pinhole projection of camera-frame points (x right, y down, z forward) to
 * pixels: `u = fx·X/Z + cx`, `v = fy·Y/Z + cy`. Differentiable.
 *
 * @param points `[..., 3]` camera-frame points with `Z > 0`.
 * @param intrinsics fx, fy, cx, cy in pixels.
 * @returns `[..., 2]` pixel coordinates `(u, v)` (column, row).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { projectPoints } from '@fovea/geometry3d';
 * const uv = projectPoints(tf.tensor2d([[1, 0, 2]]), { fx: 100, fy: 100, cx: 64, cy: 48 });
 * await uv.data(); // [114, 48]
 * ```
 * @category Depth
 */
export function projectPoints(points: tf.Tensor, intrinsics: CameraIntrinsics): tf.Tensor {
  const op = 'projectPoints';
  checkTensor(op, 'points', points, { minRank: 1, dtype: 'float32' });
  if (points.shape[points.rank - 1] !== 3) throw new FoveaError({ op, arg: 'points', expected: 'shape [..., 3]', got: `shape [${points.shape.join(', ')}]` });
  const k = checkIntrinsics(op, intrinsics);
  return tf.tidy(() => {
    const [X, Y, Z] = tf.split(points, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor]; // [..., 1] each
    const u = tf.add(tf.mul(k.fx, tf.div(X, Z)), k.cx);
    const v = tf.add(tf.mul(k.fy, tf.div(Y, Z)), k.cy);
    return tf.concat([u, v], -1); // [..., 2]
  });
}

/**
 * Back-projects pixels with known depth to camera-frame points:
 * `X = (u - cx)·Z/fx`, `Y = (v - cy)·Z/fy`. Inverse of {@link projectPoints}.
 *
 * @param uv `[..., 2]` pixel coordinates (column, row).
 * @param depth `[...]` depth `Z` of each pixel.
 * @param intrinsics fx, fy, cx, cy in pixels.
 * @returns `[..., 3]` points.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { unprojectPoints } from '@fovea/geometry3d';
 * const p = unprojectPoints(tf.tensor2d([[114, 48]]), tf.tensor1d([2]), { fx: 100, fy: 100, cx: 64, cy: 48 });
 * await p.data(); // [1, 0, 2]
 * ```
 * @category Depth
 */
export function unprojectPoints(uv: tf.Tensor, depth: tf.Tensor, intrinsics: CameraIntrinsics): tf.Tensor {
  const op = 'unprojectPoints';
  checkTensor(op, 'uv', uv, { minRank: 1, dtype: 'float32' });
  if (uv.shape[uv.rank - 1] !== 2) throw new FoveaError({ op, arg: 'uv', expected: 'shape [..., 2]', got: `shape [${uv.shape.join(', ')}]` });
  checkTensor(op, 'depth', depth, { shape: uv.shape.slice(0, -1), dtype: 'float32' });
  const k = checkIntrinsics(op, intrinsics);
  return tf.tidy(() => {
    const [u, v] = tf.split(uv, 2, -1) as [tf.Tensor, tf.Tensor];
    const Z = tf.expandDims(depth, -1); // [..., 1]
    return tf.concat([tf.mul(tf.div(tf.sub(u, k.cx), k.fx), Z), tf.mul(tf.div(tf.sub(v, k.cy), k.fy), Z), Z], -1); // [..., 3]
  });
}

/**
 * Back-projects every pixel of a depth map: pixel `(v, u)` (row, column) with
 * depth `Z` becomes `((u - cx)·Z/fx, (v - cy)·Z/fy, Z)`. Differentiable in `depth`.
 *
 * @param depth `[B, H, W]` depths.
 * @param intrinsics fx, fy, cx, cy in pixels.
 * @returns `[B, H, W, 3]` camera-frame points.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { depthToPoints } from '@fovea/geometry3d';
 * const pts = depthToPoints(tf.ones([1, 2, 2]), { fx: 1, fy: 1, cx: 0.5, cy: 0.5 });
 * pts.shape; // [1, 2, 2, 3]; pixel (0, 0) → (-0.5, -0.5, 1)
 * ```
 * @category Depth
 */
export function depthToPoints(depth: tf.Tensor, intrinsics: CameraIntrinsics): tf.Tensor {
  const op = 'depthToPoints';
  checkTensor(op, 'depth', depth, { shape: ['B', 'H', 'W'], dtype: 'float32' });
  const k = checkIntrinsics(op, intrinsics);
  const [, H, W] = depth.shape as [number, number, number];
  return tf.tidy(() => {
    const [u, v] = pixelGrid(H, W); // [H, W]
    const X = tf.mul(tf.div(tf.sub(u, k.cx), k.fx), depth); // [B, H, W]
    const Y = tf.mul(tf.div(tf.sub(v, k.cy), k.fy), depth);
    return tf.stack([X, Y, depth], 3); // [B, H, W, 3]
  });
}

/** Options for {@link PinholeCamera}. @category Depth */
export interface PinholeCameraOptions extends CameraIntrinsics {
  /** Image width in pixels (for {@link PinholeCamera.toNdc}). */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** World-to-camera rotation, 3×3 row-major (`X_cam = R·X_world + t`); default identity. */
  R?: number[][];
  /** World-to-camera translation; default `[0, 0, 0]`. */
  t?: number[];
}

/**
 * A pinhole camera with intrinsics and a world-to-camera pose
 * (`X_cam = R·X_world + t`; camera frame x right, y down, z forward, as
 * OpenCV). Projects world points to pixels and to the `[-1, 1]` coordinates
 * that {@link vertAlign} samples features at.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PinholeCamera } from '@fovea/geometry3d';
 * const cam = PinholeCamera.lookAt([0, 0, -3], [0, 0, 0], [0, 1, 0], { fx: 60, fy: 60, cx: 31.5, cy: 31.5, width: 64, height: 64 });
 * const { uv, depth } = cam.project(tf.tensor2d([[0, 0, 0]]));
 * await uv.data(); // [31.5, 31.5]; depth [3]
 * ```
 * @category Depth
 */
export class PinholeCamera {
  /** Intrinsics in pixels. */
  readonly intrinsics: CameraIntrinsics;
  /** Image width, pixels. */
  readonly width: number;
  /** Image height, pixels. */
  readonly height: number;
  /** World-to-camera rotation (row-major). */
  readonly R: number[][];
  /** World-to-camera translation. */
  readonly t: number[];

  constructor(opts: PinholeCameraOptions) {
    const op = 'PinholeCamera';
    this.intrinsics = checkIntrinsics(op, opts);
    this.width = checkNumber(op, 'options.width', opts.width, { integer: true, min: 1 });
    this.height = checkNumber(op, 'options.height', opts.height, { integer: true, min: 1 });
    const R = opts.R ?? [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    if (!Array.isArray(R) || R.length !== 3 || R.some((r) => !Array.isArray(r) || r.length !== 3 || r.some((x) => !Number.isFinite(x)))) {
      throw new FoveaError({ op, arg: 'options.R', expected: 'a 3×3 array of finite numbers', got: JSON.stringify(R).slice(0, 60) });
    }
    const t = opts.t ?? [0, 0, 0];
    if (!Array.isArray(t) || t.length !== 3 || t.some((x) => !Number.isFinite(x))) {
      throw new FoveaError({ op, arg: 'options.t', expected: '3 finite numbers', got: JSON.stringify(t).slice(0, 60) });
    }
    this.R = R.map((r) => [...r]);
    this.t = [...t];
  }

  /**
   * A camera at `eye` looking at `target`, with `up` giving the image's up
   * direction (the camera's y axis points opposite to it).
   */
  static lookAt(eye: number[], target: number[], up: number[], opts: CameraIntrinsics & { width: number; height: number }): PinholeCamera {
    const sub = (a: number[], b: number[]): number[] => a.map((x, i) => x - b[i]!);
    const crossV = (a: number[], b: number[]): number[] => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
    const unit = (a: number[]): number[] => {
      const n = Math.hypot(...a);
      if (!(n > 0)) throw new FoveaError({ op: 'PinholeCamera.lookAt', arg: 'eye/target/up', expected: 'distinct eye and target and an up not parallel to the view', got: JSON.stringify(a) });
      return a.map((x) => x / n);
    };
    const z = unit(sub(target, eye)); // forward
    const x = unit(crossV(up.map((u) => -u), z)); // right = down × forward (x = y × z)
    const y = crossV(z, x); // down
    const R = [x, y, z];
    const t = R.map((r) => -(r[0]! * eye[0]! + r[1]! * eye[1]! + r[2]! * eye[2]!));
    return new PinholeCamera({ ...opts, R, t });
  }

  /** World points `[..., 3]` → camera-frame points `[..., 3]`. */
  worldToCamera(points: tf.Tensor): tf.Tensor {
    checkTensor('PinholeCamera.worldToCamera', 'points', points, { minRank: 1, dtype: 'float32' });
    return tf.tidy(() => {
      const lead = points.shape.slice(0, -1);
      const flat = tf.reshape(points, [-1, 3]); // [N, 3]
      const cam = tf.add(tf.matMul(flat, tf.tensor2d(this.R), false, true), tf.tensor1d(this.t)); // [N, 3]
      return tf.reshape(cam, [...lead, 3]);
    });
  }

  /** Projects world points `[..., 3]`: pixel coordinates `uv [..., 2]` and camera depth `[...]`. */
  project(points: tf.Tensor): { uv: tf.Tensor; depth: tf.Tensor } {
    return tf.tidy(() => {
      const cam = this.worldToCamera(points);
      const z = (tf.split(cam, 3, -1) as tf.Tensor[])[2]!; // [..., 1]
      const depth = tf.reshape(z, cam.shape.slice(0, -1)); // [...]
      return { uv: projectPoints(cam, this.intrinsics), depth };
    }) as { uv: tf.Tensor; depth: tf.Tensor };
  }

  /** Back-projects pixels `uv [..., 2]` at camera depth `[...]` to world points `[..., 3]`. */
  unproject(uv: tf.Tensor, depth: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const cam = unprojectPoints(uv, depth, this.intrinsics); // [..., 3]
      const lead = cam.shape.slice(0, -1);
      const shifted = tf.sub(tf.reshape(cam, [-1, 3]), tf.tensor1d(this.t)); // [N, 3]
      return tf.reshape(tf.matMul(shifted, tf.tensor2d(this.R)), [...lead, 3]); // Rᵀ(X - t)
    });
  }

  /**
   * Pixel coordinates `[..., 2]` → normalised `[-1, 1]` coordinates with
   * `align_corners=True` semantics (pixel 0 → -1, pixel W-1 → 1), as
   * {@link vertAlign} and `grid_sample` take them.
   */
  toNdc(uv: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const scale = tf.tensor1d([2 / Math.max(this.width - 1, 1), 2 / Math.max(this.height - 1, 1)]);
      return tf.sub(tf.mul(uv, scale), 1);
    });
  }

  /** The 3×3 intrinsic matrix `K` as a tensor. */
  intrinsicMatrix(): tf.Tensor {
    const { fx, fy, cx, cy } = this.intrinsics;
    return tf.tensor2d([[fx, 0, cx], [0, fy, cy], [0, 0, 1]]);
  }
}
