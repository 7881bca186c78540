import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList, checkNumber, checkTensor, formatShape, relu, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';

/** Options for {@link OccupancyNetwork}. @category Implicit surfaces */
export interface OccupancyNetworkOptions {
  /** Size of an optional per-shape latent code `z` concatenated to every point; default 0 (one shape). */
  latentDim?: number;
  /** Hidden width; default 256 (Occupancy Networks' decoder). */
  hiddenDim?: number;
  /** Residual fully connected blocks; default 5 (Occupancy Networks' decoder). */
  numBlocks?: number;
  /** Fourier-feature frequencies `L` of the input (`sin/cos(2^k·π·p)`, k < L), 0 for raw coordinates; default 0. */
  fourierFeatures?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** `x + fc2(relu(fc1(relu(x))))`: Occupancy Networks' `ResnetBlockFC` (second layer initialised to zero). */
class ResnetBlockFC extends Module<[tf.Tensor], tf.Tensor> {
  readonly fc_0: Linear;
  readonly fc_1: Linear;
  constructor(dim: number, g?: Generator) {
    super();
    const gen = g ? { generator: g } : {};
    this.fc_0 = this.registerModule('fc_0', new Linear(dim, dim, gen));
    this.fc_1 = this.registerModule('fc_1', new Linear(dim, dim, gen));
    tf.tidy(() => this.fc_1.weight.assign(tf.zerosLike(this.fc_1.weight)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(x, this.fc_1.forward(relu(this.fc_0.forward(relu(x))))));
  }
}

/**
 * An occupancy network decoder (Mescheder et al., CVPR 2019): an MLP of
 * residual fully connected blocks mapping a 3D point (optionally with
 * Fourier features, and a per-shape latent code) to the logit of "this point
 * is inside". Train with binary cross-entropy on sampled points, then extract
 * the surface with {@link occupancyGrid} and {@link marchingCubes} at level 0
 * (logits) or 0.5 (probabilities).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { OccupancyNetwork } from '@fovea/geometry3d';
 * const net = new OccupancyNetwork({ hiddenDim: 64, numBlocks: 2 });
 * net.forward(tf.randomUniform([1024, 3], -1, 1)).shape; // [1024] logits
 * ```
 * @category Implicit surfaces
 */
export class OccupancyNetwork extends Module<[tf.Tensor, tf.Tensor?], tf.Tensor> {
  readonly fc_p: Linear;
  readonly blocks: ModuleList;
  readonly fc_out: Linear;
  readonly latentDim: number;
  readonly fourierFeatures: number;

  constructor(opts: OccupancyNetworkOptions = {}) {
    super();
    const op = 'OccupancyNetwork';
    this.latentDim = checkNumber(op, 'options.latentDim', opts.latentDim ?? 0, { integer: true, min: 0 });
    const hidden = checkNumber(op, 'options.hiddenDim', opts.hiddenDim ?? 256, { integer: true, min: 1 });
    const blocks = checkNumber(op, 'options.numBlocks', opts.numBlocks ?? 5, { integer: true, min: 0 });
    this.fourierFeatures = checkNumber(op, 'options.fourierFeatures', opts.fourierFeatures ?? 0, { integer: true, min: 0, max: 16 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    const inDim = 3 * (1 + 2 * this.fourierFeatures) + this.latentDim;
    this.fc_p = this.registerModule('fc_p', new Linear(inDim, hidden, gen));
    this.blocks = this.registerModule('blocks', new ModuleList(Array.from({ length: blocks }, () => new ResnetBlockFC(hidden, opts.generator))));
    this.fc_out = this.registerModule('fc_out', new Linear(hidden, 1, gen));
  }

  /**
   * Occupancy logits of points.
   *
   * @param points `[..., 3]` query points (e.g. in `[-1, 1]³`).
   * @param z `[..., latentDim]` latent codes broadcastable to the points' leading dims (required when `latentDim > 0`).
   * @returns `[...]` logits (inside where > 0).
   */
  forward(points: tf.Tensor, z?: tf.Tensor): tf.Tensor {
    const op = 'OccupancyNetwork.forward';
    checkTensor(op, 'points', points, { minRank: 1, dtype: 'float32' });
    if (points.shape[points.rank - 1] !== 3) throw new FoveaError({ op, arg: 'points', expected: 'shape [..., 3]', got: `shape ${formatShape(points.shape)}` });
    if (this.latentDim > 0) {
      checkTensor(op, 'z', z, { minRank: 1, dtype: 'float32' });
      if (z!.shape[z!.rank - 1] !== this.latentDim) throw new FoveaError({ op, arg: 'z', expected: `shape [..., ${this.latentDim}]`, got: `shape ${formatShape(z!.shape)}` });
    }
    return tf.tidy(() => {
      const lead = points.shape.slice(0, -1);
      let x = this.encode(points); // [..., 3(1 + 2L)]
      if (this.latentDim > 0) x = tf.concat([x, tf.broadcastTo(z!, [...lead, this.latentDim])], -1);
      let h = this.fc_p.forward(x); // [..., hidden]
      for (const b of this.blocks) h = (b as ResnetBlockFC).forward(h);
      return tf.reshape(this.fc_out.forward(relu(h)), lead); // [...]
    });
  }

  private encode(p: tf.Tensor): tf.Tensor {
    if (this.fourierFeatures === 0) return p;
    const feats = [p];
    for (let k = 0; k < this.fourierFeatures; k++) {
      const a = tf.mul(p, Math.PI * 2 ** k);
      feats.push(tf.sin(a), tf.cos(a));
    }
    return tf.concat(feats, -1);
  }
}

/** Options for {@link occupancyGrid}. @category Implicit surfaces */
export interface OccupancyGridOptions {
  /** Lower corner of the box; default `[-1, -1, -1]`. */
  min?: readonly [number, number, number];
  /** Upper corner of the box; default `[1, 1, 1]`. */
  max?: readonly [number, number, number];
  /** Points per evaluation batch; default 32768. */
  batchSize?: number;
}

/**
 * Evaluates an implicit function on a regular `R×R×R` grid spanning a box,
 * in batches, for {@link marchingCubes}: grid index `(i, j, k)` is the point
 * `(x, y, z) = min + (k, j, i)·(max - min)/(R - 1)` (so the volume is indexed
 * `[z, y, x]` and marching-cubes vertices `(d, h, w)` map back to `(z, y, x)`).
 *
 * @param fn points `[M, 3]` (x, y, z) → values `[M]` (e.g. an {@link OccupancyNetwork}'s logits).
 * @param resolution `R >= 2` samples per axis.
 * @param opts box and batch size.
 * @returns `[R, R, R]` values indexed `[z, y, x]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { occupancyGrid, marchingCubes } from '@fovea/geometry3d';
 * const sdf = (p: tf.Tensor) => tf.sub(0.5, tf.norm(p, 'euclidean', -1)); // a sphere of radius 0.5
 * const vol = occupancyGrid(sdf, 32);
 * const { verts, faces } = await marchingCubes(vol, { level: 0 });
 * ```
 * @category Implicit surfaces
 */
export function occupancyGrid(fn: (points: tf.Tensor) => tf.Tensor, resolution: number, opts: OccupancyGridOptions = {}): tf.Tensor {
  const op = 'occupancyGrid';
  const R = checkNumber(op, 'resolution', resolution, { integer: true, min: 2 });
  const lo = opts.min ?? [-1, -1, -1];
  const hi = opts.max ?? [1, 1, 1];
  [...lo, ...hi].forEach((v, i) => checkNumber(op, i < 3 ? `options.min[${i}]` : `options.max[${i - 3}]`, v));
  const batch = checkNumber(op, 'options.batchSize', opts.batchSize ?? 32768, { integer: true, min: 1 });
  const total = R * R * R;
  const pts = new Float32Array(3 * total);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < R; j++) {
      for (let k = 0; k < R; k++) {
        const n = (i * R + j) * R + k;
        pts[3 * n] = lo[0] + (k * (hi[0] - lo[0])) / (R - 1);
        pts[3 * n + 1] = lo[1] + (j * (hi[1] - lo[1])) / (R - 1);
        pts[3 * n + 2] = lo[2] + (i * (hi[2] - lo[2])) / (R - 1);
      }
    }
  }
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < total; s += batch) {
      const m = Math.min(batch, total - s);
      parts.push(tf.tidy(() => {
        const out = fn(tf.tensor2d(pts.subarray(3 * s, 3 * (s + m)), [m, 3]));
        checkTensor(op, 'fn(points)', out, { shape: [m], dtype: 'float32' });
        return out;
      }));
    }
    return tf.reshape(tf.concat(parts), [R, R, R]); // [z, y, x]
  });
}
