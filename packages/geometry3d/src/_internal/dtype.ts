/**
 * Private dtype conversions that are correct on every backend:
 * tfjs-backend-webgpu 4.22 implements bool → float32, bool → int32 and
 * int32 → float32 casts by relabelling the buffer, so later kernels read the
 * wrong element type. These convert by selection or arithmetic instead.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A bool or int32 tensor as float32 (1/0 for bool). */
export function toFloat(x: tf.Tensor): tf.Tensor {
  if (x.dtype === 'float32') return x;
  return tf.tidy(() => (x.dtype === 'bool' ? tf.where(x, tf.fill(x.shape, 1), tf.zeros(x.shape)) : tf.mul(x, tf.scalar(1, 'float32'))));
}

/** A bool tensor as int32 1/0. */
export function boolToInt(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(x, tf.fill(x.shape, 1, 'int32'), tf.zeros(x.shape, 'int32')));
}
