import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';

/**
 * Converts TensorFlow-style max-pool argmax indices (flat over a channels-last
 * input, as `tf.maxPoolWithArgmax` returns them) to PyTorch's indices (flat
 * `h·W + w` within each `(n, c)` plane, as `max_pool2d(..., return_indices=True)`
 * returns them). The tensor keeps its channels-last position layout
 * `[N, Ho, Wo, C]`; use {@link nhwcToNchw} to reorder it.
 *
 * @param indices int32 `[N, Ho, Wo, C]` argmax indices.
 * @param inputShape the pooled input's shape `[N, H, W, C]`.
 * @param includeBatchInIndex whether `indices` count the batch too (`((n·H + h)·W + w)·C + c`)
 *   or not (`(h·W + w)·C + c`).
 * @returns int32 `[N, Ho, Wo, C]`, each `h·W + w`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { poolIndicesToTorch } from '@fovea/core';
 * // a 2×2 input with 1 channel, max at (1, 0): TF index 2, PyTorch index 2
 * poolIndicesToTorch(tf.tensor4d([2], [1, 1, 1, 1], 'int32'), [1, 2, 2, 1], false); // [[[[2]]]]
 * ```
 * @category Interop
 */
export function poolIndicesToTorch(
  indices: tf.Tensor,
  inputShape: readonly number[],
  includeBatchInIndex: boolean,
): tf.Tensor {
  checkTensor('poolIndicesToTorch', 'indices', indices, { rank: 4, dtype: 'int32' });
  if (inputShape.length !== 4) {
    throw new FoveaError({ op: 'poolIndicesToTorch', arg: 'inputShape', expected: '[N, H, W, C]', got: formatShape(inputShape) });
  }
  const [, H, W, C] = inputShape as [number, number, number, number];
  return tf.tidy(() => {
    const plane = tf.floorDiv(indices, tf.scalar(C, 'int32'));
    return includeBatchInIndex ? tf.mod(plane, tf.scalar(H * W, 'int32')) : plane;
  });
}

/**
 * The inverse of {@link poolIndicesToTorch} with `includeBatchInIndex = false`:
 * PyTorch per-plane indices `h·W + w` at channels-last positions `[N, Ho, Wo, C]`
 * → flat channels-last indices `(h·W + w)·C + c` of an input with `C` channels.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { poolIndicesFromTorch } from '@fovea/core';
 * poolIndicesFromTorch(tf.tensor4d([2, 3], [1, 1, 1, 2], 'int32')).dataSync(); // [4, 7]
 * ```
 * @category Interop
 */
export function poolIndicesFromTorch(indices: tf.Tensor): tf.Tensor {
  checkTensor('poolIndicesFromTorch', 'indices', indices, { rank: 4, dtype: 'int32' });
  const C = indices.shape[3]!;
  return tf.tidy(() => {
    const c = tf.reshape(tf.range(0, C, 1, 'int32'), [1, 1, 1, C]);
    return tf.add(tf.mul(indices, tf.scalar(C, 'int32')), c);
  });
}
