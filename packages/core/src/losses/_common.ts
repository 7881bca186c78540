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

/** Applies a reduction. @internal */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? tf.sum(loss) : tf.mean(loss);
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
