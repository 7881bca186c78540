/**
 * Private: 2-D max pooling on a padded input with PyTorch's gradient: all of
 * each window's gradient goes to its first maximum in raster order.
 *
 * On cpu and wasm the MaxPoolGrad kernel that @fovea/core's `initBackend()`
 * registers does exactly that (tfjs-backend-wasm's own one is wrong, e.g. for
 * 2×2 windows on a 4×4 map), so tfjs's gradient of `tf.maxPool` is used. On
 * other backends (tfjs-backend-webgpu sends a tied window's gradient to its
 * last maximum) the gradient below, built from forward kernels only, is used.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PoolGeometry } from './pool.js';
import { sumAll } from './args.js';
import { insertZeros, subsample } from './spatial.js';

/** Max pooling of `xp [N, Hp, Wp, C]` (already padded with −∞ stand-ins) with "valid" windows: `[N, Ho, Wo, C]`. */
export function maxPoolPadded(xp: tf.Tensor4D, g: PoolGeometry): tf.Tensor4D {
  const backend = tf.getBackend();
  if (backend === 'cpu' || backend === 'wasm') return forwardPool(xp, g);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const value = forwardPool(x, g);
    save([x, value]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy] = saved as [tf.Tensor4D, tf.Tensor4D];
      return nonOverlapping(g) ? windowGrad(sx, sy, dy as tf.Tensor4D, g) : tapGrad(sx, sy, dy as tf.Tensor4D, g);
    };
    return { value, gradFunc };
  });
  return f(xp) as tf.Tensor4D;
}

function forwardPool(xp: tf.Tensor4D, g: PoolGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = xp.shape;
    let y: tf.Tensor4D;
    if (g.d[0] === 1 && g.d[1] === 1) {
      y = tf.maxPool(xp, g.k, g.s, 'valid');
    } else {
      const dense = tf.pool(xp, g.k, 'max', 'valid', g.d, 1) as tf.Tensor4D; // stride 1, dilated
      y = subsample(dense, g.s[0], g.s[1]);
    }
    if (y.shape[1] === g.out[0] && y.shape[2] === g.out[1]) return y;
    return tf.slice(y, [0, 0, 0, 0], [n, g.out[0], g.out[1], c]);
  });
}

/** Windows that tile the input without overlap or gaps (stride = kernel, no dilation). */
function nonOverlapping(g: PoolGeometry): boolean {
  return g.s[0] === g.k[0] && g.s[1] === g.k[1] && g.d[0] === 1 && g.d[1] === 1;
}

/**
 * Nearest upsampling by whole blocks, `[N, Ho, Wo, C]` → `[N, Ho·kH, Wo·kW, C]`,
 * as two rank-3 broadcasting adds (rank ≤ 4 for tfjs-webgpu, and faster than Tile).
 */
function blockUp(t: tf.Tensor, n: number, ho: number, wo: number, c: number, kh: number, kw: number): tf.Tensor {
  let r = tf.reshape(t, [n * ho * wo, 1, c]);
  if (kw > 1) r = tf.add(r, tf.zeros([n * ho * wo, kw, c])); // [N·Ho·Wo, kW, C]
  r = tf.reshape(r, [n * ho, 1, wo * kw * c]);
  if (kh > 1) r = tf.add(r, tf.zeros([n * ho, kh, wo * kw * c])); // [N·Ho, kH, Wo·kW·C]
  return tf.reshape(r, [n, ho * kh, wo * kw, c]);
}

/**
 * Non-overlapping windows: compare the input with the block-upsampled maxima,
 * rank the matches by their place in the window (earlier taps higher), and
 * keep the best per window with one more (forward) max pool — a handful of
 * full-size elementwise passes, rank ≤ 4, no scatter or strided slices.
 */
function windowGrad(xp: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, g: PoolGeometry): tf.Tensor {
  return tf.tidy(() => {
    const [n, hp, wp, c] = xp.shape;
    const [kh, kw] = g.k;
    const [ho, wo] = g.out;
    const used = [ho * kh, wo * kw] as const;
    const xc = used[0] === hp && used[1] === wp ? xp : tf.slice(xp, [0, 0, 0, 0], [n, used[0], used[1], c]);
    const order = new Float32Array(used[0] * used[1]);
    for (let i = 0; i < used[0]; i++) for (let j = 0; j < used[1]; j++) order[i * used[1] + j] = kh * kw - ((i % kh) * kw + (j % kw));
    const isMax = tf.cast(tf.equal(xc, blockUp(y, n, ho, wo, c, kh, kw)), 'float32');
    const rank = tf.mul(isMax, tf.tensor4d(order, [1, used[0], used[1], 1])); // earlier taps rank higher; 0 where not a maximum
    const best = tf.maxPool(rank as tf.Tensor4D, g.k, g.k, 'valid'); // [N, Ho, Wo, C]
    const first = tf.equal(rank, blockUp(best, n, ho, wo, c, kh, kw));
    const dx = tf.where(first, blockUp(dy, n, ho, wo, c, kh, kw), tf.zerosLike(xc)); // [N, Ho·kH, Wo·kW, C]
    if (used[0] === hp && used[1] === wp) return dx;
    return tf.pad(dx, [[0, 0], [0, hp - used[0]], [0, wp - used[1]], [0, 0]]);
  });
}

/**
 * For each window tap in raster order, where it holds its window's first
 * maximum: boolean `[N, Ho, Wo, C]` masks, and the tap's offset.
 */
export function firstMaxTaps(xp: tf.Tensor4D, y: tf.Tensor4D, g: PoolGeometry): { mask: tf.Tensor; r0: number; c0: number }[] {
  const [n, , , c] = xp.shape;
  const [ho, wo] = g.out;
  const out: { mask: tf.Tensor; r0: number; c0: number }[] = [];
  let taken: tf.Tensor | null = null;
  for (let a = 0; a < g.k[0]; a++) {
    for (let b = 0; b < g.k[1]; b++) {
      const r0 = a * g.d[0];
      const c0 = b * g.d[1];
      const tap = tf.stridedSlice(xp, [0, r0, c0, 0], [n, r0 + (ho - 1) * g.s[0] + 1, c0 + (wo - 1) * g.s[1] + 1, c], [1, g.s[0], g.s[1], 1]);
      const eq = tf.equal(tap, y);
      const mask: tf.Tensor = taken ? tf.logicalAnd(eq, tf.logicalNot(taken)) : eq;
      taken = taken ? tf.logicalOr(taken, eq) : eq;
      out.push({ mask, r0, c0 });
    }
  }
  return out;
}

/** General windows: each tap's share of `dy`, spread back to the tap's input positions. */
function tapGrad(xp: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, g: PoolGeometry): tf.Tensor {
  return tf.tidy(() => {
    const [, hp, wp] = xp.shape;
    const [ho, wo] = g.out;
    const zeros = tf.zerosLike(dy);
    const parts = firstMaxTaps(xp, y, g).map(({ mask, r0, c0 }) => {
      const share = insertZeros(tf.where(mask, dy, zeros) as tf.Tensor4D, g.s[0], g.s[1]); // [N, (Ho-1)s+1, (Wo-1)s+1, C]
      const hSpan = (ho - 1) * g.s[0] + 1;
      const wSpan = (wo - 1) * g.s[1] + 1;
      return tf.pad(share, [[0, 0], [r0, hp - r0 - hSpan], [c0, wp - c0 - wSpan], [0, 0]]);
    });
    return sumAll(parts);
  });
}
