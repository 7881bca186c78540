/** Private helpers shared by the losses: reductions, shape checks, a PyTorch-exact |x|. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { checkOneOf } from '../validate/values.js';

/**
 * How a loss combines its per-element values (PyTorch's `reduction`):
 * `'mean'` (default), `'sum'`, or `'none'` (the unreduced tensor).
 *
 * @category Losses
 */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Validates `options.reduction` (default `'mean'`). @internal */
export function checkReduction(op: string, r: unknown): Reduction {
  return checkOneOf(op, 'options.reduction', r ?? 'mean', REDUCTIONS);
}

/** Applies a reduction (`'mean'` of nothing is NaN, as in PyTorch). @internal */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return safeSum(loss);
  return loss.size === 0 ? constantOf(loss, [], NaN) : tf.mean(loss);
}

/** A constant `shape` tensor that keeps `x` on the tape (its gradient is zero). */
function constantOf(x: tf.Tensor, shape: number[], value: number): tf.Tensor {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: tf.fill(shape, value), gradFunc: () => tf.zerosLike(input) };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(x);
}

/**
 * `tf.sum` that also works when the reduced axes are empty (0), which
 * tfjs-backend-webgpu cannot reduce; the gradient stays connected. @internal
 */
export function safeSum(x: tf.Tensor, axis?: number | number[], keepDims = false): tf.Tensor {
  const axes = axis === undefined ? [...x.shape.keys()] : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + x.rank : a));
  if (axes.every((a) => x.shape[a]! > 0)) return tf.sum(x, axis, keepDims);
  const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return constantOf(x, shape, 0);
}

/** Checks `input` and `target`: float32, identical shapes (no broadcasting, as PyTorch warns). @internal */
export function checkPair(op: string, input: unknown, target: unknown, inputName = 'input', targetName = 'target'): void {
  checkTensor(op, inputName, input, { dtype: 'float32' });
  checkTensor(op, targetName, target, { dtype: 'float32' });
  const a = (input as tf.Tensor).shape;
  const b = (target as tf.Tensor).shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new FoveaError({ op, arg: targetName, expected: `the shape of ${inputName} ${formatShape(a)}`, got: `shape ${formatShape(b)}` });
  }
}

/** Whether `shape` broadcasts to `to` (numpy rules). @internal */
export function broadcastsTo(shape: readonly number[], to: readonly number[]): boolean {
  if (shape.length > to.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const s = shape[shape.length - i]!;
    if (s !== 1 && s !== to[to.length - i]) return false;
  }
  return true;
}

/** `|x|` whose gradient is `sign(x)` (0 at 0, as PyTorch), unlike tfjs's `abs` (-1 at 0). @internal */
export function absSign(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return { value: tf.abs(input), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sign(saved[0]!)) };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(x);
}

/**
 * float32 one-hot rows `[..., depth]` for int32 `labels` `[...]`; a label outside
 * `[0, depth)` gives a zero row. Unlike `tf.oneHot` it allows `depth` < 2. @internal
 */
export function oneHotFloat(labels: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(tf.expandDims(labels, -1), tf.range(0, depth, 1, 'int32')), 'float32'));
}
