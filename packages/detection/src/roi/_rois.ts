/** Private: RoI box handling shared by roiAlign and roiPool. */
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkPair, checkTensor, FoveaError } from '@fovea/core';

/** RoIs as torchvision takes them: one `[K, 5]` tensor of `(batch_index, x1, y1, x2, y2)` rows, or one `[K_i, 4]` tensor per image. @category RoI */
export type RoiBoxes = tf.Tensor | tf.Tensor[];

/** Validates the feature map and the boxes and returns the boxes as `[K, 5]` (a new tensor when converted from a list). */
export function roiTensor(op: string, input: unknown, boxes: RoiBoxes): { rois: tf.Tensor2D; owned: boolean } {
  checkTensor(op, 'input', input, { rank: 4, dtype: 'float32' });
  if (Array.isArray(boxes)) {
    if (boxes.length !== input.shape[0]) {
      throw new FoveaError({ op, arg: 'boxes', expected: `one [K_i, 4] tensor per image (${input.shape[0]})`, got: `${boxes.length} tensors` });
    }
    boxes.forEach((b, i) => checkTensor(op, `boxes[${i}]`, b, { shape: [null, 4], dtype: 'float32' }));
    const rois = tf.tidy(() =>
      tf.concat(
        boxes.map((b, i) => tf.concat([tf.fill([b.shape[0]!, 1], i), b], 1)), // [K_i, 5]
        0,
      ),
    ) as tf.Tensor2D;
    return { rois, owned: true };
  }
  checkTensor(op, 'boxes', boxes, { shape: ['K', 5], dtype: 'float32' });
  return { rois: boxes as tf.Tensor2D, owned: false };
}

/** Checks and returns `[ph, pw]`. */
export function outputSize(op: string, v: unknown): [number, number] {
  return checkPair(op, 'options.outputSize', v, { integer: true, min: 1 });
}

/** Checks and returns the spatial scale. */
export function spatialScale(op: string, v: unknown): number {
  return checkNumber(op, 'options.spatialScale', v ?? 1, { gt: 0 });
}

/**
 * The batch index of roi row `k` (a whole number in `[0, n)`), else a
 * FoveaError naming the row. torchvision truncates silently and reads out
 * of bounds; Fovea refuses.
 */
export function batchIndex(op: string, rois: ArrayLike<number>, k: number, n: number): number {
  const b = rois[5 * k]!;
  if (!(Number.isInteger(b) && b >= 0 && b < n)) {
    throw new FoveaError({ op, arg: 'boxes', expected: `batch indices (column 0) that are integers in [0, ${n})`, got: `${b} at row ${k}` });
  }
  return b;
}

/** Rejects rows with non-finite coordinates. */
export function checkRoiRow(op: string, rois: ArrayLike<number>, k: number): void {
  for (let t = 1; t < 5; t++) {
    if (!Number.isFinite(rois[5 * k + t]!)) {
      throw new FoveaError({ op, arg: 'boxes', expected: 'finite coordinates', got: `${rois[5 * k + t]} at row ${k}` });
    }
  }
}
