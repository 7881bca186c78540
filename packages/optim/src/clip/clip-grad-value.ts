import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { unpackGrads, type GradList } from '../_internal/grad-list.js';

/**
 * Clamps every gradient element to `[-clipValue, clipValue]`, as PyTorch's
 * `torch.nn.utils.clip_grad_value_`. Returns new tensors in the same
 * structure (the inputs are not disposed).
 *
 * @param grads gradients of any shapes, float32: a list, or a map by name.
 * @param clipValue the bound (>= 0).
 * @returns the clamped gradients, same shapes.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { clipGradValue } from '@fovea/optim';
 * const [g] = clipGradValue([tf.tensor1d([-3, 0.5, 2])], 1);
 * g.print(); // [-1, 0.5, 1]
 * ```
 * @category Clipping
 */
export function clipGradValue<T extends GradList>(grads: T, clipValue: number): T {
  const op = 'clipGradValue';
  const { tensors, pack } = unpackGrads(op, grads);
  checkNumber(op, 'clipValue', clipValue, { min: 0 });
  return tf.tidy(() => pack(tensors.map((g) => tf.clipByValue(g, -clipValue, clipValue)))) as T;
}
