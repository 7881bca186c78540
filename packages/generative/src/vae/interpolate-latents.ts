import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor, formatShape } from '@fovea/core';
import { checkSize, sameShape } from '../_internal/args.js';

/** Options for {@link interpolateLatents}. @category Latent space */
export interface InterpolateLatentsOptions {
  /**
   * `'linear'`: `(1 − t)·z0 + t·z1`; `'slerp'`: spherical interpolation, which keeps
   * the norm typical of Gaussian latents (White, 2016). Default `'linear'`.
   */
  method?: 'linear' | 'slerp';
}

/**
 * Points on the path between two latent codes, `t = 0, 1/(S−1), …, 1`
 * (endpoints included): decode them for an interpolation grid.
 *
 * @param z0 float32 `[Z]` or `[N, Z]` start codes.
 * @param z1 float32, the shape of `z0`: end codes.
 * @param steps `S ≥ 2` points per path.
 * @param opts method (default `'linear'`).
 * @returns `[S, Z]` for `[Z]` inputs, `[N, S, Z]` for `[N, Z]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { interpolateLatents } from '@fovea/generative';
 * interpolateLatents(tf.tensor1d([0, 0]), tf.tensor1d([1, 2]), 3).print(); // [[0, 0], [0.5, 1], [1, 2]]
 * ```
 * @category Latent space
 */
export function interpolateLatents(z0: tf.Tensor, z1: tf.Tensor, steps: number, opts: InterpolateLatentsOptions = {}): tf.Tensor {
  const op = 'interpolateLatents';
  checkTensor(op, 'z0', z0, { rank: [1, 2], dtype: 'float32' });
  checkTensor(op, 'z1', z1, { dtype: 'float32' });
  if (!sameShape(z0.shape, z1.shape)) throw new FoveaError({ op, arg: 'z1', expected: `the shape of z0 ${formatShape(z0.shape)}`, got: `shape ${formatShape(z1.shape)}` });
  const s = checkSize(op, 'steps', steps, 2);
  const method = checkOneOf(op, 'options.method', opts.method ?? 'linear', ['linear', 'slerp'] as const);
  return tf.tidy(() => {
    const a = tf.expandDims(z0.rank === 1 ? tf.expandDims(z0, 0) : z0, 1); // [N, 1, Z]
    const b = tf.expandDims(z1.rank === 1 ? tf.expandDims(z1, 0) : z1, 1); // [N, 1, Z]
    const t = tf.reshape(tf.linspace(0, 1, s), [1, s, 1]); // [1, S, 1]
    let wa: tf.Tensor = tf.sub(1, t);
    let wb: tf.Tensor = t;
    if (method === 'slerp') [wa, wb] = slerpWeights(a, b, t);
    const path = tf.add(tf.mul(wa, a), tf.mul(wb, b)); // [N, S, Z]
    return z0.rank === 1 ? tf.squeeze(path, [0]) : path;
  });
}

/** `sin((1−t)Ω)/sin Ω` and `sin(tΩ)/sin Ω`, `Ω` the angle between `a` and `b` (linear weights where Ω ≈ 0). */
function slerpWeights(a: tf.Tensor, b: tf.Tensor, t: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const dot = tf.sum(tf.mul(a, b), -1, true); // [N, 1, 1]
  const norms = tf.mul(tf.norm(a, 'euclidean', -1, true), tf.norm(b, 'euclidean', -1, true));
  const cos = tf.clipByValue(tf.div(dot, tf.maximum(norms, 1e-12)), -1, 1);
  const omega = tf.acos(cos); // [N, 1, 1]
  const sinO = tf.sin(omega);
  const shape = [a.shape[0]!, t.shape[1]!, 1];
  const small = tf.broadcastTo(tf.less(sinO, 1e-6), shape); // nearly parallel: fall back to linear
  const safe = tf.where(tf.less(sinO, 1e-6), tf.onesLike(sinO), sinO);
  const tb = tf.broadcastTo(t, shape); // [N, S, 1]
  const wa = tf.where(small, tf.sub(1, tb), tf.div(tf.sin(tf.mul(tf.sub(1, tb), omega)), safe));
  const wb = tf.where(small, tb, tf.div(tf.sin(tf.mul(tb, omega)), safe));
  return [wa, wb]; // each [N, S, 1]
}
