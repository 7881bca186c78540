/** Private helper: seeded categorical sampling from logits (the Gumbel-max trick). */
import * as tf from '@tensorflow/tfjs-core';
import { uniform, type Generator } from '@fovea/core';

/**
 * One draw per row of `logits [..., K]` from `softmax(logits / t)`, as int32
 * `[...]`: `argmax(logits / t + g)`, `g = −log(−log u)`, `u ~ U(0, 1)` from
 * `generator` (exact, and no values are read back).
 */
export function sampleCategorical(logits: tf.Tensor, temperature: number, generator: Generator): tf.Tensor {
  return tf.tidy(() => {
    const u = tf.clipByValue(uniform(logits.shape, 0, 1, { generator }), 1e-12, 1 - 1e-7);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
    return tf.argMax(tf.add(scaled, gumbel), -1);
  });
}
