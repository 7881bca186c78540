/** Private: a per-feature mean that is exact for constant features. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `x.mean(0)` computed as `x[0] + mean(x - x[0])`: shifting by the first row makes a
 * constant feature's mean exactly its value on every backend (a plain float32 sum can
 * be off by an ulp, which `(x - mean) / √eps` would blow up), and reduces rounding
 * for features far from zero. `x` is `[N ≥ 1, ...F]`; returns `[...F]`. @internal
 */
export function featureMean(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const first = tf.slice(x, 0, 1); // [1, ...F]
    return tf.add(tf.squeeze(first, [0]), tf.mean(tf.sub(x, first), 0));
  });
}
