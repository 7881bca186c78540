/** A typed wrapper around `tf.customGrad` for one-input ops. */
import * as tf from '@tensorflow/tfjs-core';

/** Forward of a one-input op with its own gradient. @internal */
export type UnaryForward = (
  x: tf.Tensor,
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

/** `tf.customGrad` for a one-input op, typed. @internal */
export function unaryCustomGrad(forward: UnaryForward): (x: tf.Tensor) => tf.Tensor {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    forward(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc)) as Parameters<typeof tf.customGrad>[0]);
  return (x) => f(x);
}
