import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { checkBoxesTensor, readBoxes } from '../_internal/boxes.js';

/**
 * Indices of the boxes whose width **and** height are at least `minSize`,
 * like `torchvision.ops.remove_small_boxes`. Async: it reads the boxes back
 * (and rejects non-finite rows or rows with x2 < x1 / y2 < y1, naming the first).
 *
 * @param boxes `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param minSize the smallest width and height kept (inclusive).
 * @returns `[K]` int32 indices of the kept boxes, ascending.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { removeSmallBoxes } from '@fovea/detection';
 * const keep = await removeSmallBoxes(tf.tensor2d([[0, 0, 10, 10], [0, 0, 2, 30]]), 5);
 * keep.print(); // [0]
 * ```
 * @category Boxes
 */
export async function removeSmallBoxes(boxes: tf.Tensor, minSize: number): Promise<tf.Tensor1D> {
  const op = 'removeSmallBoxes';
  checkBoxesTensor(op, 'boxes', boxes);
  const ms = checkNumber(op, 'minSize', minSize);
  const d = await readBoxes(op, 'boxes', boxes);
  const keep: number[] = [];
  for (let i = 0; i < d.length >> 2; i++) {
    if (d[4 * i + 2]! - d[4 * i]! >= ms && d[4 * i + 3]! - d[4 * i + 1]! >= ms) keep.push(i);
  }
  return tf.tensor1d(keep, 'int32');
}
