import * as tf from '@tensorflow/tfjs-core';

/** How samples outside the image are treated (PyTorch's `grid_sample` `padding_mode`): zero, the nearest edge pixel, or mirrored. @category Augmentation */
export type PaddingMode = 'zeros' | 'border' | 'reflection';

/** Interpolation of Fovea's image sampler: bilinear, or nearest (round half to even, as PyTorch). @category Augmentation */
export type SampleMode = 'bilinear' | 'nearest';

/** Per-sample clamp box for `border` padding: `[N]` arrays of inclusive pixel bounds. */
export interface ClampBounds {
  x0: Float32Array;
  y0: Float32Array;
  x1: Float32Array;
  y1: Float32Array;
}

/** Reflects coordinates into `[-0.5, size - 0.5]` (PyTorch's `reflect_coordinates` for align_corners=False), then clips. */
function reflect(c: tf.Tensor, size: number): tf.Tensor {
  const span = size;
  const m = tf.mod(tf.abs(tf.add(c, 0.5)), 2 * span);
  const r = tf.sub(tf.where(tf.greater(m, span), tf.sub(2 * span, m), m), 0.5);
  return tf.clipByValue(r, 0, size - 1);
}

function perSample(v: Float32Array): tf.Tensor {
  return tf.tensor3d(v, [v.length, 1, 1]);
}

/**
 * Samples `images` `[N, H, W, C]` at pixel coordinates `x`, `y` `[N, Ho, Wo]`
 * (integer values are pixel centres; `x` along W) with bilinear or nearest
 * interpolation, through `tf.gather` on the flattened batch, so it runs on
 * every backend. Returns `[N, Ho, Wo, C]`. Call inside `tf.tidy`.
 */
export function sampleAt(
  images: tf.Tensor4D,
  x: tf.Tensor,
  y: tf.Tensor,
  mode: SampleMode,
  padding: PaddingMode,
  bounds?: ClampBounds,
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const [, ho, wo] = x.shape as [number, number, number];
  if (n === 0 || ho === 0 || wo === 0) return tf.zeros([n, ho, wo, c]);
  if (padding === 'border') {
    if (bounds) {
      x = tf.minimum(tf.maximum(x, perSample(bounds.x0)), perSample(bounds.x1));
      y = tf.minimum(tf.maximum(y, perSample(bounds.y0)), perSample(bounds.y1));
    } else {
      x = tf.clipByValue(x, 0, w - 1);
      y = tf.clipByValue(y, 0, h - 1);
    }
  } else if (padding === 'reflection') {
    x = reflect(x, w);
    y = reflect(y, h);
  }
  const flat = tf.reshape(images, [n * h * w, c]); // [N·H·W, C]
  const base = tf.reshape(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(h * w, 'int32')), [n, 1, 1]); // [N, 1, 1]
  const tap = (xi: tf.Tensor, yi: tf.Tensor, weight: tf.Tensor): tf.Tensor => {
    // a tap outside the image contributes zero (zeros padding); indices are clamped to stay valid
    const inside = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(xi, 0), tf.lessEqual(xi, w - 1)),
      tf.logicalAnd(tf.greaterEqual(yi, 0), tf.lessEqual(yi, h - 1)),
    );
    const xc = tf.cast(tf.clipByValue(xi, 0, w - 1), 'int32');
    const yc = tf.cast(tf.clipByValue(yi, 0, h - 1), 'int32');
    const idx = tf.reshape(tf.add(base, tf.add(tf.mul(yc, tf.scalar(w, 'int32')), xc)), [-1]); // [N·Ho·Wo]
    const vals = tf.reshape(tf.gather(flat, idx), [n, ho, wo, c]); // [N, Ho, Wo, C]
    const wgt = tf.expandDims(tf.mul(weight, tf.cast(inside, 'float32')), 3); // [N, Ho, Wo, 1]
    return tf.mul(vals, wgt);
  };
  if (mode === 'nearest') return tap(tf.round(x), tf.round(y), tf.onesLike(x)) as tf.Tensor4D;
  const x0 = tf.floor(x);
  const y0 = tf.floor(y);
  const x1 = tf.add(x0, 1);
  const y1 = tf.add(y0, 1);
  const wx1 = tf.sub(x, x0);
  const wy1 = tf.sub(y, y0);
  const wx0 = tf.sub(1, wx1);
  const wy0 = tf.sub(1, wy1);
  return tf.addN([
    tap(x0, y0, tf.mul(wx0, wy0)),
    tap(x1, y0, tf.mul(wx1, wy0)),
    tap(x0, y1, tf.mul(wx0, wy1)),
    tap(x1, y1, tf.mul(wx1, wy1)),
  ]) as tf.Tensor4D;
}

/**
 * Samples with torchvision's fill rule: without `fill`, outside is zero
 * (zeros padding); with `fill` (a value or one per channel), a ones-mask is
 * sampled alongside and the result is `img·mask + fill·(1 − mask)` (bilinear)
 * or `fill` where `mask < 0.5` (nearest).
 */
export function sampleWithFill(
  images: tf.Tensor4D,
  x: tf.Tensor,
  y: tf.Tensor,
  mode: SampleMode,
  fill: number | readonly number[] | undefined,
): tf.Tensor4D {
  if (fill === undefined) return sampleAt(images, x, y, mode, 'zeros');
  const [n, h, w, c] = images.shape;
  const withMask = tf.concat([images, tf.ones([n, h, w, 1])], 3) as tf.Tensor4D;
  const out = sampleAt(withMask, x, y, mode, 'zeros');
  const img = tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, c]);
  const mask = tf.slice(out, [0, 0, 0, c], [-1, -1, -1, 1]);
  const fillT = typeof fill === 'number' ? tf.scalar(fill) : tf.tensor1d(fill as number[]);
  if (mode === 'nearest') return tf.where(tf.less(tf.broadcastTo(mask, img.shape), 0.5), tf.broadcastTo(fillT, img.shape), img) as tf.Tensor4D;
  return tf.add(tf.mul(img, mask), tf.mul(tf.sub(1, mask), fillT)) as tf.Tensor4D;
}
