import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '../validate/shape.js';

/**
 * PyTorch's channels-first images to Fovea's channels-last:
 * `[N, C, H, W]` → `[N, H, W, C]` (also `[N, C, D, H, W]` → `[N, D, H, W, C]`
 * and `[N, C, L]` → `[N, L, C]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { nchwToNhwc } from '@fovea/core';
 * nchwToNhwc(tf.zeros([8, 3, 32, 32])).shape; // [8, 32, 32, 3]
 * ```
 * @category Interop
 */
export function nchwToNhwc(x: tf.Tensor): tf.Tensor {
  checkTensor('nchwToNhwc', 'x', x, { rank: [3, 4, 5] });
  const r = x.rank;
  // [N, C, ...spatial] -> [N, ...spatial, C]
  const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  return permute(x, perm);
}

/**
 * Fovea's channels-last images to PyTorch's channels-first:
 * `[N, H, W, C]` → `[N, C, H, W]` (and the rank-3 and rank-5 analogues).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { nhwcToNchw } from '@fovea/core';
 * nhwcToNchw(tf.zeros([8, 32, 32, 3])).shape; // [8, 3, 32, 32]
 * ```
 * @category Interop
 */
export function nhwcToNchw(x: tf.Tensor): tf.Tensor {
  checkTensor('nhwcToNchw', 'x', x, { rank: [3, 4, 5] });
  const r = x.rank;
  // [N, ...spatial, C] -> [N, C, ...spatial]
  const perm = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
  return permute(x, perm);
}

/** `tf.transpose`, except for empty tensors (tfjs-backend-wasm's Transpose divides by zero on them). */
function permute(x: tf.Tensor, perm: number[]): tf.Tensor {
  if (x.size === 0) return tf.reshape(x, perm.map((p) => x.shape[p]!));
  return tf.transpose(x, perm);
}
