/** Private helper: `x.detach()` (the `sg[·]` stop-gradient of the VQ-VAE paper). */
import * as tf from '@tensorflow/tfjs-core';

const detachOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
}));

/** `x`'s values as a new tensor through which no gradient flows (PyTorch's `detach()`). */
export function detach(x: tf.Tensor): tf.Tensor {
  return detachOp(x) as tf.Tensor;
}
