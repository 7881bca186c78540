/**
 * Private: a depthwise convolution with a gradient built only from forward
 * kernels (tfjs-backend-wasm has no depthwise backprop kernels), and
 * tfjs's own forward kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { insertZeros } from './spatial.js';

/**
 * `y = depthwise(xp, filter)` with no padding (the caller pads `xp`) and no
 * dilation (the caller dilates `filter`).
 *
 * @param xp `[N, Hp, Wp, C]` padded input.
 * @param filter `[kH, kW, C, m]` (output channel `c·m + j` uses `filter[:, :, c, j]`).
 * @param strides `[sh, sw]`.
 * @returns `[N, Ho, Wo, C·m]`, `Ho = floor((Hp - kH)/sh) + 1`.
 */
export function depthwiseValid(xp: tf.Tensor4D, filter: tf.Tensor4D, strides: [number, number]): tf.Tensor4D {
  const [sh, sw] = strides;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    const value = tf.depthwiseConv2d(x, w, [sh, sw], 'valid');
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sw_] = saved as [tf.Tensor4D, tf.Tensor4D];
      return [inputGrad(dy as tf.Tensor4D, sx.shape, sw_, sh, sw), filterGrad(sx, dy as tf.Tensor4D, sw_.shape, sh, sw)];
    };
    return { value, gradFunc };
  });
  return f(xp, filter) as tf.Tensor4D;
}

/** dL/dxp: full correlation of the zero-inserted dy with the flipped filter, summed over the multiplier. */
function inputGrad(dy: tf.Tensor4D, xShape: number[], w: tf.Tensor4D, sh: number, sw: number): tf.Tensor {
  return tf.tidy(() => {
    const [n, hp, wp, c] = xShape as [number, number, number, number];
    const [kh, kw, , m] = w.shape;
    const [, ho, wo] = dy.shape;
    const up = insertZeros(dy as tf.Tensor4D, sh, sw); // [N, (Ho-1)sh+1, (Wo-1)sw+1, C·m]
    const flipped = tf.reshape(tf.reverse(w, [0, 1]), [kh, kw, c * m, 1]); // [kH, kW, C·m, 1]
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [kh - 1, hp - (ho - 1) * sh - 1],
      [kw - 1, wp - (wo - 1) * sw - 1],
      [0, 0],
    ];
    const full = tf.depthwiseConv2d(up, flipped as tf.Tensor4D, 1, pad); // [N, Hp, Wp, C·m]
    if (m === 1) return full;
    return tf.sum(tf.reshape(full, [n, hp, wp, c, m]), 4); // [N, Hp, Wp, C]
  });
}

/** dL/dfilter: per-channel correlation of xp with dy (dy as a filter dilated by the stride), summed over the batch. */
function filterGrad(xp: tf.Tensor4D, dy: tf.Tensor4D, wShape: number[], sh: number, sw: number): tf.Tensor {
  return tf.tidy(() => {
    const [n, hp, wp, c] = xp.shape;
    const [kh, kw, , m] = wShape as [number, number, number, number];
    const [, ho, wo] = dy.shape;
    const img = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, hp, wp, n * c]); // [1, Hp, Wp, N·C]
    const dy5 = tf.reshape(dy, [n, ho, wo, c, m]); // [N, Ho, Wo, C, m]
    const fil = tf.reshape(tf.transpose(dy5, [1, 2, 0, 3, 4]), [ho, wo, n * c, m]); // [Ho, Wo, N·C, m]
    const corr = tf.depthwiseConv2d(img as tf.Tensor4D, fil as tf.Tensor4D, 1, 'valid', 'NHWC', [sh, sw]); // [1, Hp-(Ho-1)sh, Wp-(Wo-1)sw, N·C·m]
    const crop = tf.slice(corr, [0, 0, 0, 0], [1, kh, kw, n * c * m]); // [1, kH, kW, N·C·m]
    return tf.sum(tf.reshape(crop, [kh, kw, n, c, m]), 2); // [kH, kW, C, m]
  });
}
