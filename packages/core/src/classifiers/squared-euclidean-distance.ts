import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '../validate/shape.js';

/**
 * All pairwise squared Euclidean distances, vectorised as
 * `|x_i|² + |y_j|² - 2 x_i·y_j` (one matrix product, no `[N, M, D]` intermediate;
 * CS231n's "no loops" version). Tiny negatives from rounding are clamped to 0.
 *
 * @param x float32 `[N, D]`.
 * @param y float32 `[M, D]`.
 * @returns float32 `[N, M]`, `d[i, j] = Σ_k (x_ik - y_jk)²`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { squaredEuclideanDistance } from '@fovea/core';
 * squaredEuclideanDistance(tf.tensor2d([[0, 0], [1, 1]]), tf.tensor2d([[3, 4]])).print(); // [[25], [13]]
 * ```
 * @category Classifiers
 */
export function squaredEuclideanDistance(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const dims = {};
  checkTensor('squaredEuclideanDistance', 'x', x, { dtype: 'float32', shape: ['N', 'D'] }, dims);
  checkTensor('squaredEuclideanDistance', 'y', y, { dtype: 'float32', shape: ['M', 'D'] }, dims);
  // an empty inner dimension: tfjs-backend-wasm's matMul leaves its output uninitialised
  if (x.shape[1] === 0) return tf.zeros([x.shape[0]!, y.shape[0]!]);
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // [N, 1]
    const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, -1]); // [1, M]
    const xy = tf.matMul(x, y, false, true); // [N, M]
    return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(xy, 2)));
  });
}
