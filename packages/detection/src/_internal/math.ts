/**
 * Private differentiable helpers with PyTorch's gradient conventions, built
 * from ops that are fast on every backend (wasm's broadcasting `maximum` /
 * `minimum` are very slow; `a + relu(b - a)` is not).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The backward pass of a {@link customOp}: `dy` and the saved tensors → one gradient per input. */
export type GradFn = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/**
 * A typed `tf.customGrad`: `f(inputs, save)` returns the forward value and its
 * gradient function (tfjs's own typing wants variadic tensor-or-save args).
 */
export function customOp(f: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFn }): (...xs: tf.Tensor[]) => tf.Tensor {
  type Custom = Parameters<typeof tf.customGrad>[0];
  const g = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const r = f(args as tf.Tensor[], save);
    return { value: r.value, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => r.gradFunc(dy as tf.Tensor, saved) };
  }) as unknown as Custom);
  return (...xs: tf.Tensor[]) => g(...xs);
}

/** Sums `g` over the axes that were broadcast to reach it, back to `shape`. */
function reduceTo(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape as number[], g.shape);
  const s = axes.length ? tf.sum(g, axes) : g;
  return tf.reshape(s, shape as number[]); // back to the input shape
}

function extremum(sign: 1 | -1): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  return customOp(([a, b], save) => {
    save([a!, b!]);
    // max(a, b) = a + relu(b - a); min(a, b) = a - relu(a - b)
    const value = sign > 0 ? tf.add(a!, tf.relu(tf.sub(b!, a!))) : tf.sub(a!, tf.relu(tf.sub(a!, b!)));
    return {
      value,
      gradFunc: (dy, saved) => {
        const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
        // torch.maximum / torch.minimum: the winner gets the gradient, ties split it in half
        const d = sign > 0 ? tf.sub(sa, sb) : tf.sub(sb, sa);
        const wa = tf.add(tf.cast(tf.greater(d, 0), 'float32'), tf.mul(0.5, tf.cast(tf.equal(d, 0), 'float32')));
        const wb = tf.sub(1, wa);
        return [reduceTo(tf.mul(dy, wa), sa.shape), reduceTo(tf.mul(dy, wb), sb.shape)];
      },
    };
  });
}

/** `torch.maximum(a, b)` (broadcasting; ties split the gradient). */
export const maximum = extremum(1);
/** `torch.minimum(a, b)` (broadcasting; ties split the gradient). */
export const minimum = extremum(-1);

/** `x` in the forward pass, a zero gradient in the backward pass (`torch.no_grad()` / `.detach()`). */
export const detach: (x: tf.Tensor) => tf.Tensor = customOp(([x]) => ({
  value: tf.clone(x!),
  gradFunc: (dy) => [tf.zerosLike(dy)],
}));
