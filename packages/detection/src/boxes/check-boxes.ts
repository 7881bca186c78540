import type * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '@fovea/core';
import { checkBoxesTensor, readBoxes, type BoxFormat } from '../_internal/boxes.js';

/** Options for {@link checkBoxes}. @category Boxes */
export interface CheckBoxesOptions {
  /** The format the rows must obey; default `'xyxy'` (x2 >= x1, y2 >= y1); `xywh`/`cxcywh` need w, h >= 0. */
  format?: BoxFormat;
  /** The op named in the error; default `'checkBoxes'`. */
  op?: string;
  /** The argument named in the error; default `'boxes'`. */
  arg?: string;
}

/**
 * Validates box values: reads `[N, 4]` boxes back (async, so it works on
 * WebGPU) and throws a `FoveaError` naming the first row that is not finite
 * or has a negative extent. The synchronous box ops check shapes only; call
 * this first where bad values must be caught (the async ops — NMS, the matcher,
 * `removeSmallBoxes` — check their boxes themselves).
 *
 * @param boxes `[N, 4]` float32 boxes.
 * @param opts format and names for the message.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { checkBoxes } from '@fovea/detection';
 * await checkBoxes(tf.tensor2d([[0, 0, 5, 5], [4, 0, 2, 3]]));
 * // throws FoveaError "checkBoxes: boxes must be xyxy rows with x2 >= x1 and y2 >= y1, got [4, 0, 2, 3] at row 1"
 * ```
 * @category Boxes
 */
export async function checkBoxes(boxes: tf.Tensor, opts: CheckBoxesOptions = {}): Promise<void> {
  const op = opts.op ?? 'checkBoxes';
  const arg = opts.arg ?? 'boxes';
  const format = checkOneOf(op, 'options.format', opts.format ?? 'xyxy', ['xyxy', 'xywh', 'cxcywh'] as const);
  checkBoxesTensor(op, arg, boxes);
  await readBoxes(op, arg, boxes, format);
}
