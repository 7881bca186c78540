/**
 * A differentiable op with a hand-written backward pass whose input
 * gradients are computed lazily: like `tf.customGrad`, but the backward
 * function returns one closure per input, and tfjs's tape only calls the
 * closures of inputs that lead back to what is being differentiated. So a
 * recurrent layer over constant data skips `dL/dx` (a `[B·T, G·H] x [G·H, I]`
 * matmul) and the initial-state gradients when the states are constants.
 * Built on tfjs-core 4.22's `Engine.runKernelFunc`, the function behind
 * `tf.customGrad`.
 */
import * as tf from '@tensorflow/tfjs-core';

interface EngineInternals {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/**
 * Runs `forward` (which may `save` tensors for backward) as one taped op on
 * `inputs`. `backward(dy, saved)` does the shared work eagerly and returns
 * `inputs.length` closures, the gradient of each input in order.
 */
export function customOp(
  inputs: tf.Tensor[],
  forward: (save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => (() => tf.Tensor)[],
): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  return engine.runKernelFunc({
    forwardFunc: (_backend, save) => forward(save),
    backwardsFunc: (dy, saved) => {
      const fns = backward(dy, saved);
      return Object.fromEntries(fns.map((f, i) => [String(i), f]));
    },
    inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
  });
}
