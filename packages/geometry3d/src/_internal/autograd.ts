/**
 * Private autograd helpers. tfjs records every kernel on the gradient tape
 * while a gradient scope is open and keeps the tensors a kernel's gradient
 * needs until the scope ends; these helpers keep index searches off the tape
 * and give gathers and scatters gradients that work on every backend
 * (tfjs-backend-wasm has no `UnsortedSegmentSum`, which `tf.gather`'s
 * gradient uses).
 */
import * as tf from '@tensorflow/tfjs-core';

type CustomResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** `tf.customGrad` with precise argument types: `fn(...inputs, save)`. */
export function customGrad(fn: (...args: never[]) => CustomResult): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor;
}

/**
 * Runs `fn` with the gradient tape paused: its outputs are constants for
 * autograd (PyTorch's `torch.no_grad()` / `.detach()`), and the
 * intermediates it makes are never retained for a backward pass. Every
 * returned tensor belongs to the caller's scope.
 */
export function noGrad<T extends tf.Tensor[]>(fn: () => T): T {
  let rest: tf.Tensor[] = [];
  // a custom gradient with no inputs: the engine runs its forward with the tape off
  const first = customGrad((_save: tf.GradSaveFunc) => {
    const outs = fn();
    rest = outs.slice(1).map((t) => tf.keep(t));
    return { value: outs[0]!, gradFunc: () => [] };
  })();
  const tail = rest.map((t) => {
    const c = tf.clone(t); // re-enter the caller's scope
    t.dispose();
    return c;
  });
  return [first, ...tail] as unknown as T;
}

/** {@link noGrad} for one tensor. */
export function detach<T extends tf.Tensor>(x: T): T {
  return noGrad(() => [tf.clone(x)])[0] as T;
}

/**
 * `params[indices]` along axis 0 (`tf.gather`), differentiable in `params`
 * with a scatter-add gradient that every backend implements.
 *
 * @param params `[R, ...]`.
 * @param indices int32 `[M]`, each in `[0, R)`; a constant (no gradient).
 * @returns `[M, ...]`.
 */
export function gatherRows(params: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  const f = customGrad((p: tf.Tensor, save: tf.GradSaveFunc) => {
    save([indices]);
    return {
      value: tf.gather(p, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [scatterRows(dy, saved[0]!, p.shape[0]!)],
    };
  });
  return f(params);
}

/**
 * Sums `updates[m]` into row `indices[m]` of a zero `[R, ...]` tensor
 * (`index_add`), differentiable in `updates` (its gradient is a gather).
 *
 * @param updates `[M, ...]`.
 * @param indices int32 `[M]`, each in `[0, R)`; a constant.
 * @param rows `R`.
 * @returns `[R, ...updates.shape.slice(1)]`.
 */
export function scatterAddRows(updates: tf.Tensor, indices: tf.Tensor, rows: number): tf.Tensor {
  const f = customGrad((u: tf.Tensor, save: tf.GradSaveFunc) => {
    save([indices]);
    return {
      value: scatterRows(u, indices, rows),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.gather(dy, saved[0]!)],
    };
  });
  return f(updates);
}

function scatterRows(updates: tf.Tensor, indices: tf.Tensor, rows: number): tf.Tensor {
  const shape = [rows, ...updates.shape.slice(1)];
  if (updates.shape[0] === 0 || rows === 0) return tf.zeros(shape, updates.dtype);
  return tf.tidy(() => tf.scatterND(tf.reshape(indices, [-1, 1]), updates, shape)); // duplicates are summed
}

/**
 * Euclidean norm over the last axis whose gradient is 0 (not NaN) at the
 * zero vector, as PyTorch's `norm` backward.
 *
 * @param x `[..., D]`.
 * @param keepDims keep the reduced axis (size 1).
 * @returns `[...]` (or `[..., 1]`).
 */
export function safeNorm(x: tf.Tensor, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const ss = tf.sum(tf.square(x), -1, keepDims);
    return tf.sqrt(tf.maximum(ss, 1e-30)); // sqrt(1e-30) = 1e-15 where x = 0
  });
}

/**
 * Cross product over the last axis (size 3), differentiable.
 *
 * @param a `[..., 3]`.
 * @param b `[..., 3]`.
 * @returns `[..., 3]`.
 */
export function cross(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [a0, a1, a2] = tf.split(a, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [b0, b1, b2] = tf.split(b, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.concat(
      [tf.sub(tf.mul(a1, b2), tf.mul(a2, b1)), tf.sub(tf.mul(a2, b0), tf.mul(a0, b2)), tf.sub(tf.mul(a0, b1), tf.mul(a1, b0))],
      -1,
    );
  });
}

/**
 * Zeros of `shape` that stay connected to `x` on the gradient tape (so
 * `tf.grad` with respect to `x` gives zeros rather than failing), without
 * reducing an empty tensor (tfjs-backend-wasm's sum of no elements is not 0).
 */
export function zerosConnected(x: tf.Tensor, shape: number[] = []): tf.Tensor {
  return tf.tidy(() => {
    const one = tf.mul(tf.zeros([1]), tf.sum(tf.concat([tf.reshape(x, [-1]), tf.zeros([1], x.dtype)]))); // [1]
    if (shape.some((d) => d === 0)) return tf.reshape(tf.slice(one, [0], [0]), shape); // gradients stay non-empty sums
    return tf.mul(tf.reshape(one, shape.map(() => 1)), tf.zeros(shape));
  });
}

/** `tf.sum(x, axis)` that is 0 (not uninitialised memory) where the reduced extent is empty. */
export function sumAxis(x: tf.Tensor, axis: number): tf.Tensor {
  if (x.shape[axis] !== 0) return tf.sum(x, axis);
  return zerosConnected(x, x.shape.filter((_, i) => i !== axis));
}
