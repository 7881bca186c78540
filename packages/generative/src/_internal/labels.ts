/** Private helpers: class labels of conditional models. */
import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, formatShape } from '@fovea/core';
import { oneHot } from './one-hot.js';

/**
 * Checks the `labels` argument of a model with `numClasses` classes (0 =
 * unconditional: no labels allowed) for a batch of `n`, and returns their
 * float32 one-hot rows `[n, K]`, or `null` for an unconditional model.
 */
export function labelRows(op: string, labels: tf.Tensor | null | undefined, numClasses: number, n: number): tf.Tensor | null {
  if (numClasses === 0) {
    if (labels != null) throw new FoveaError({ op, arg: 'labels', expected: 'none (the model is unconditional: numClasses = 0)', got: `a tensor ${formatShape(labels.shape)}` });
    return null;
  }
  if (labels == null) throw new FoveaError({ op, arg: 'labels', expected: `int32 [${n}] class labels in [0, ${numClasses}) (the model is conditional)`, got: String(labels) });
  checkTensor(op, 'labels', labels, { shape: [n], dtype: 'int32' });
  return oneHot(labels, numClasses);
}
