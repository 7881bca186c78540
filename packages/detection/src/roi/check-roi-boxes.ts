import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, FoveaError } from '@fovea/core';
import { batchIndex, checkRoiRow } from './_rois.js';

/**
 * Validates `[K, 5]` RoI rows `(batch_index, x1, y1, x2, y2)` on any backend:
 * reads them back (async) and throws a `FoveaError` naming the first row
 * whose batch index is not an integer in `[0, numImages)`, whose coordinates
 * are not finite, or whose x2 < x1 or y2 < y1. ({@link roiAlign} and
 * {@link roiPool} check batch indices themselves on CPU/WASM; on WebGPU they
 * cannot read values synchronously, so call this first there.)
 *
 * @param boxes `[K, 5]` float32 RoI rows.
 * @param numImages the batch size `N` of the feature maps.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { checkRoiBoxes } from '@fovea/detection';
 * await checkRoiBoxes(tf.tensor2d([[0, 1, 1, 5, 5], [2, 0, 0, 4, 4]]), 2);
 * // throws FoveaError "checkRoiBoxes: boxes must be batch indices (column 0) that are integers in [0, 2), got 2 at row 1"
 * ```
 * @category RoI
 */
export async function checkRoiBoxes(boxes: tf.Tensor, numImages: number): Promise<void> {
  const op = 'checkRoiBoxes';
  checkTensor(op, 'boxes', boxes, { shape: ['K', 5], dtype: 'float32' });
  const n = checkNumber(op, 'numImages', numImages, { integer: true, min: 0 });
  const d = await boxes.data();
  for (let k = 0; k < boxes.shape[0]!; k++) {
    batchIndex(op, d, k, n);
    checkRoiRow(op, d, k);
    if (d[5 * k + 3]! < d[5 * k + 1]! || d[5 * k + 4]! < d[5 * k + 2]!) {
      const row = Array.from(d.subarray(5 * k, 5 * k + 5)).join(', ');
      throw new FoveaError({ op, arg: 'boxes', expected: 'rows with x2 >= x1 and y2 >= y1', got: `[${row}] at row ${k}` });
    }
  }
}
