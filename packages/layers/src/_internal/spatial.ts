/** Private helpers: differentiable zero insertion and kernel dilation built from pad/reshape/slice. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Inserts `s - 1` zeros between neighbouring pixels of `x [N, H, W, C]`
 * (the "fractionally strided" input of a transposed convolution):
 * returns `[N, (H-1)·sh + 1, (W-1)·sw + 1, C]`. Differentiable.
 */
export function insertZeros(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  if (h === 0 || w === 0) return tf.zeros<tf.Rank.R4>([n, Math.max(0, (h - 1) * sh + 1), Math.max(0, (w - 1) * sw + 1), c]);
  return tf.tidy((): tf.Tensor4D => {
    // rank ≤ 4 throughout (tfjs-webgpu cannot pad rank-6 tensors)
    let y: tf.Tensor4D = x;
    if (sh > 1) {
      const r = tf.pad(tf.reshape(y, [n, h, 1, w * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]); // [N, H, sh, W·C]
      y = tf.slice(tf.reshape(r, [n, h * sh, w, c]), [0, 0, 0, 0], [n, (h - 1) * sh + 1, w, c]) as tf.Tensor4D;
    }
    if (sw > 1) {
      const hh = y.shape[1];
      const r = tf.pad(tf.reshape(y, [n * hh, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]); // [N·H', W, sw, C]
      y = tf.slice(tf.reshape(r, [n, hh, w * sw, c]), [0, 0, 0, 0], [n, hh, (w - 1) * sw + 1, c]) as tf.Tensor4D;
    }
    return y;
  });
}

/**
 * Dilates a 2-D filter `[kH, kW, A, B]` by inserting `d - 1` zero taps
 * between taps: returns `[d_h(kH-1)+1, d_w(kW-1)+1, A, B]`. Differentiable.
 */
export function dilateFilter(w: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  if (dh === 1 && dw === 1) return w;
  return tf.tidy(() => {
    const [kh, kw, a, b] = w.shape;
    // treat the filter as an image with the tap grid as its spatial dims
    const img = tf.reshape(w, [1, kh, kw, a * b]); // [1, kH, kW, A·B]
    const up = insertZeros(img as tf.Tensor4D, dh, dw); // [1, kH', kW', A·B]
    return tf.reshape(up, [(kh - 1) * dh + 1, (kw - 1) * dw + 1, a, b]);
  });
}

/**
 * Keeps every `s`-th row/column of `x [N, H, W, C]` starting at 0
 * (a differentiable strided slice, which tfjs lacks a gradient for):
 * returns `[N, ceil(H/sh), ceil(W/sw), C]`.
 */
export function subsample(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  return tf.tidy((): tf.Tensor4D => {
    // rank ≤ 4 throughout (tfjs-webgpu limits)
    const [n, h, w, c] = x.shape;
    let y: tf.Tensor4D = x;
    if (sh > 1) {
      const ho = Math.ceil(h / sh);
      const p = tf.pad(y, [[0, 0], [0, ho * sh - h], [0, 0], [0, 0]]);
      const r = tf.reshape(p, [n * ho, sh, w, c]); // [N·Ho, sh, W, C]
      y = tf.reshape(tf.slice(r, [0, 0, 0, 0], [n * ho, 1, w, c]), [n, ho, w, c]) as tf.Tensor4D;
    }
    if (sw > 1) {
      const hh = y.shape[1];
      const wo = Math.ceil(w / sw);
      const p = tf.pad(y, [[0, 0], [0, 0], [0, wo * sw - w], [0, 0]]);
      const r = tf.reshape(p, [n * hh, wo, sw, c]); // [N·H', Wo, sw, C]
      y = tf.reshape(tf.slice(r, [0, 0, 0, 0], [n * hh, wo, 1, c]), [n, hh, wo, c]) as tf.Tensor4D;
    }
    return y;
  });
}

/**
 * Inserts `s - 1` zeros between neighbouring entries along `axis` of any
 * tensor (length `L` → `(L-1)·s + 1`), through rank-4 reshapes. Differentiable.
 */
export function insertZerosAxis(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  if (s === 1) return x;
  const shape = x.shape;
  const len = shape[axis]!;
  if (len === 0) return x;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const r = tf.pad(tf.reshape(x, [pre, len, 1, post]), [[0, 0], [0, 0], [0, s - 1], [0, 0]]); // [pre, L, s, post]
    const cut = tf.slice(tf.reshape(r, [pre, len * s, post]), [0, 0, 0], [pre, (len - 1) * s + 1, post]);
    const out = [...shape];
    out[axis] = (len - 1) * s + 1;
    return tf.reshape(cut, out);
  });
}

/** Zero-pads `axis` of any tensor by `[before, after]` through rank-4 reshapes. Differentiable. */
export function padAxis(x: tf.Tensor, axis: number, before: number, after: number): tf.Tensor {
  if (before === 0 && after === 0) return x;
  const shape = x.shape;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const r = tf.pad(tf.reshape(x, [pre, shape[axis]!, post]), [[0, 0], [before, after], [0, 0]]);
    const out = [...shape];
    out[axis] = shape[axis]! + before + after;
    return tf.reshape(r, out);
  });
}
