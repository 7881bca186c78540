/** Private helpers: computations through which no gradient flows (PyTorch's `detach()` / `no_grad`). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `f(x)` as a tensor with a zero gradient with respect to `x`. The ops inside
 * `f` run inside a custom-gradient forward pass, so the tape does not record
 * them and they need no gradients of their own (argMax, equal, cropAndResize).
 */
export function noGrad(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zeros(input.shape) };
  });
  return op(x) as tf.Tensor;
}

/** Returns `x`'s values as a new tensor through which no gradient flows (PyTorch's `detach()`). */
export function detach(x: tf.Tensor): tf.Tensor {
  return noGrad(x, (t) => tf.clone(t));
}
