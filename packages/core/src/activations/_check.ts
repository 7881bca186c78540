/** Private input check shared by the activations. */
import type * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from '../validate/shape.js';

/** Checks that `x` is a live float32 tensor. @internal */
export function checkFloat(op: string, arg: string, x: unknown): asserts x is tf.Tensor {
  checkTensor(op, arg, x, { dtype: 'float32' });
}
