/** Private helpers: attention masks as additive score offsets (0 = allowed, -Infinity = blocked). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * An additive mask from a boolean one: `blockedWhen` says which boolean value
 * blocks a position (`true` in PyTorch's `nn.MultiheadAttention` convention,
 * `false` in `F.scaled_dot_product_attention`'s). Float masks are returned
 * as they are (added to the scores, as in PyTorch).
 */
export function additiveMask(mask: tf.Tensor, blockedWhen: boolean): tf.Tensor {
  if (mask.dtype !== 'bool') return mask;
  return tf.tidy(() => {
    const blocked = tf.fill(mask.shape, -Infinity);
    const open = tf.zeros(mask.shape);
    return blockedWhen ? tf.where(mask, blocked, open) : tf.where(mask, open, blocked);
  });
}

/**
 * The additive causal mask `[Nq, Nk]`: query `i` may attend key `j` iff
 * `j <= i` (top-left aligned, PyTorch 2's `is_causal`), built on the CPU.
 */
export function causalAdditive(nq: number, nk: number): tf.Tensor2D {
  const data = new Float32Array(nq * nk);
  for (let i = 0; i < nq; i++) for (let j = i + 1; j < nk; j++) data[i * nk + j] = -Infinity;
  return tf.tensor2d(data, [nq, nk]);
}

/** Sums additive masks (any may be null); null when there is none. */
export function combineMasks(masks: (tf.Tensor | null)[]): tf.Tensor | null {
  const present = masks.filter((m): m is tf.Tensor => m !== null);
  if (present.length === 0) return null;
  return present.reduce((a, b) => tf.add(a, b));
}
