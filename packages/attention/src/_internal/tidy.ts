/** Private helper: `tf.tidy` for functions returning an object of tensors (and nulls or arrays of tensors). */
import * as tf from '@tensorflow/tfjs-core';

/** Runs `fn` in a tidy scope and keeps every tensor of the object it returns (tfjs walks objects and arrays). */
export function tidyObject<T extends object>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
