/** Private helper: float one-hot rows for integer codes. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * float32 one-hot `[..., depth]` for int32 `codes` `[...]` (any depth ≥ 1; a
 * code outside `[0, depth)` gives a zero row). No gradient.
 */
export function oneHot(codes: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(tf.expandDims(tf.cast(codes, 'int32'), -1), tf.range(0, depth, 1, 'int32')), 'float32'));
}
