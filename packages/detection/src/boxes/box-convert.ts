import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, checkTensor } from '@fovea/core';
import type { BoxFormat } from '../_internal/boxes.js';

export type { BoxFormat } from '../_internal/boxes.js';

/** The formats {@link boxConvert} accepts. */
const FORMATS: readonly BoxFormat[] = ['xyxy', 'xywh', 'cxcywh'];

/** `[N, 4]` boxes in `fmt` → the four `[N, 1]` columns of `xyxy`. */
function toXyxy(cols: tf.Tensor[], fmt: BoxFormat): tf.Tensor[] {
  const [a, b, c, d] = cols as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  if (fmt === 'xyxy') return cols;
  if (fmt === 'xywh') return [a, b, tf.add(a, c), tf.add(b, d)];
  // cxcywh: torchvision's _box_cxcywh_to_xyxy
  const hw = tf.mul(0.5, c);
  const hh = tf.mul(0.5, d);
  return [tf.sub(a, hw), tf.sub(b, hh), tf.add(a, hw), tf.add(b, hh)];
}

/** The four `[N, 1]` columns of `xyxy` → columns in `fmt`. */
function fromXyxy(cols: tf.Tensor[], fmt: BoxFormat): tf.Tensor[] {
  const [x1, y1, x2, y2] = cols as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  if (fmt === 'xyxy') return cols;
  const w = tf.sub(x2, x1);
  const h = tf.sub(y2, y1);
  if (fmt === 'xywh') return [x1, y1, w, h];
  // cxcywh: torchvision's _box_xyxy_to_cxcywh
  return [tf.div(tf.add(x1, x2), 2), tf.div(tf.add(y1, y2), 2), w, h];
}

/**
 * Converts boxes between formats, like `torchvision.ops.box_convert`:
 * `xyxy` = `(x1, y1, x2, y2)`, `xywh` = `(x1, y1, w, h)`, `cxcywh` =
 * `(cx, cy, w, h)`. Differentiable.
 *
 * @param boxes `[N, 4]` float32 boxes in `inFmt` (any leading dims: `[..., 4]`).
 * @param inFmt the format of `boxes`.
 * @param outFmt the format wanted.
 * @returns `[N, 4]` boxes in `outFmt`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { boxConvert } from '@fovea/detection';
 * boxConvert(tf.tensor2d([[10, 20, 30, 60]]), 'xyxy', 'cxcywh').print(); // [[20, 40, 20, 40]]
 * ```
 * @category Boxes
 */
export function boxConvert(boxes: tf.Tensor, inFmt: BoxFormat, outFmt: BoxFormat): tf.Tensor {
  const op = 'boxConvert';
  checkTensor(op, 'boxes', boxes, { minRank: 1, dtype: 'float32' });
  if (boxes.shape[boxes.rank - 1] !== 4) {
    checkTensor(op, 'boxes', boxes, { shape: [...boxes.shape.slice(0, -1).map(() => null), 4] });
  }
  checkOneOf(op, 'inFmt', inFmt, FORMATS);
  checkOneOf(op, 'outFmt', outFmt, FORMATS);
  if (inFmt === outFmt) return tf.clone(boxes);
  return tf.tidy(() => {
    const cols = tf.split(boxes, 4, -1); // 4 × [..., 1]
    return tf.concat(fromXyxy(toXyxy(cols, inFmt), outFmt), -1); // [..., 4]
  });
}
