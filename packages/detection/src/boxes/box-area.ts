import * as tf from '@tensorflow/tfjs-core';
import { checkBoxesTensor } from '../_internal/boxes.js';

/**
 * Areas of `xyxy` boxes, `(x2 - x1) * (y2 - y1)`, like
 * `torchvision.ops.box_area` (no clamping: a zero-width box has area 0).
 * Differentiable.
 *
 * @param boxes `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @returns `[N]` areas.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { boxArea } from '@fovea/detection';
 * boxArea(tf.tensor2d([[0, 0, 10, 5], [2, 2, 2, 9]])).print(); // [50, 0]
 * ```
 * @category Boxes
 */
export function boxArea(boxes: tf.Tensor): tf.Tensor1D {
  checkBoxesTensor('boxArea', 'boxes', boxes);
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.unstack(boxes, 1); // 4 × [N]
    return tf.mul(tf.sub(x2!, x1!), tf.sub(y2!, y1!)) as tf.Tensor1D; // [N]
  });
}
