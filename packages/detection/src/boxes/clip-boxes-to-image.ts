import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, FoveaError } from '@fovea/core';

/**
 * Clips `xyxy` boxes to an image, like `torchvision.ops.clip_boxes_to_image`:
 * x to `[0, W]`, y to `[0, H]`. Differentiable (zero gradient where clipped).
 *
 * @param boxes `[N, 4]` (or `[..., 4]`) float32 boxes as `[x1, y1, x2, y2]`.
 * @param size the image size `[H, W]`.
 * @returns boxes of the same shape, clipped.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { clipBoxesToImage } from '@fovea/detection';
 * clipBoxesToImage(tf.tensor2d([[-5, 10, 120, 40]]), [50, 100]).print(); // [[0, 10, 100, 40]]
 * ```
 * @category Boxes
 */
export function clipBoxesToImage(boxes: tf.Tensor, size: readonly [number, number]): tf.Tensor {
  const op = 'clipBoxesToImage';
  checkTensor(op, 'boxes', boxes, { minRank: 1, dtype: 'float32' });
  if (boxes.shape[boxes.rank - 1] !== 4) {
    checkTensor(op, 'boxes', boxes, { shape: [...boxes.shape.slice(0, -1).map(() => null), 4] });
  }
  if (!Array.isArray(size) || size.length !== 2) {
    throw new FoveaError({ op, arg: 'size', expected: 'an image size [H, W]', got: Array.isArray(size) ? `an array of length ${size.length}` : typeof size });
  }
  const h = checkNumber(op, 'size[0]', size[0], { min: 0 });
  const w = checkNumber(op, 'size[1]', size[1], { min: 0 });
  return tf.tidy(() => {
    const lo = tf.tensor1d([0, 0, 0, 0]);
    const hi = tf.tensor1d([w, h, w, h]);
    // clamp via max/min against per-column bounds: [..., 4]
    return tf.minimum(tf.maximum(boxes, lo), hi);
  });
}
