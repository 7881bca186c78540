/** Private pixel-grid helper. */
import * as tf from '@tensorflow/tfjs-core';

/** Column and row index maps `[u, v]`, each float32 `[H, W]` (`u` = column, `v` = row). */
export function pixelGrid(H: number, W: number): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const u = tf.tile(tf.reshape(tf.range(0, W, 1, 'float32'), [1, W]), [H, 1]); // [H, W]
    const v = tf.tile(tf.reshape(tf.range(0, H, 1, 'float32'), [H, 1]), [1, W]); // [H, W]
    return [u, v];
  });
}
