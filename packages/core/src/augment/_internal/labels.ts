import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../../errors/fovea-error.js';
import { checkTensor, formatShape } from '../../validate/shape.js';
import { checkNumber } from '../../validate/values.js';

/** Labels as `[N, K]` float32 rows: int32 class indices are one-hot encoded (needs `numClasses`), float rows pass through. */
export function softLabels(op: string, labels: unknown, n: number, numClasses: number | undefined): tf.Tensor2D {
  checkTensor(op, 'labels', labels, { rank: [1, 2] });
  if (labels.shape[0] !== n) {
    throw new FoveaError({ op, arg: 'labels', expected: `N = ${n} labels (one per image)`, got: `shape ${formatShape(labels.shape)}` });
  }
  if (labels.rank === 1) {
    if (labels.dtype !== 'int32') throw new FoveaError({ op, arg: 'labels', expected: '[N] int32 class indices or [N, K] float32 rows', got: `[N] ${labels.dtype}` });
    const k = checkNumber(op, 'opts.numClasses', numClasses, { integer: true, min: 1 });
    return tf.tidy(() => tf.cast(tf.oneHot(labels as tf.Tensor1D, k), 'float32')) as tf.Tensor2D;
  }
  if (labels.dtype !== 'float32') throw new FoveaError({ op, arg: 'labels', expected: '[N] int32 class indices or [N, K] float32 rows', got: `[N, K] ${labels.dtype}` });
  if (numClasses !== undefined && labels.shape[1] !== numClasses) {
    throw new FoveaError({ op, arg: 'labels', expected: `[N, ${numClasses}] (opts.numClasses)`, got: `shape ${formatShape(labels.shape)}` });
  }
  return tf.clone(labels) as tf.Tensor2D;
}
