import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { slicerFor } from '../_internal/time-slice.js';
import { greedyNms } from './_greedy.js';
import { checkNmsArgs, readCandidates, type CandidateOptions } from './_prepare.js';

/** Options for {@link nms}: candidate selection and the output cap. @category NMS */
export interface NmsOptions extends CandidateOptions {
  /** Longest stretch of work between two yields to the event loop, ms; default 12. */
  sliceMs?: number;
}

/**
 * Greedy non-maximum suppression, like `torchvision.ops.nms`: visit boxes by
 * decreasing score and keep a box unless an already kept box overlaps it with
 * IoU **strictly greater** than `iouThreshold`.
 *
 * Async: it reads boxes and scores back once (`await t.data()`, so it works
 * on WebGPU), then suppresses on typed arrays in float64 with a spatial grid
 * of the kept boxes, so the result is identical on every backend. A long run
 * yields to the event loop every `sliceMs` so a browser stays responsive.
 * Rejects non-finite scores and boxes with x2 < x1 or y2 < y1, naming the
 * first offending row.
 *
 * @param boxes `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param scores `[N]` float32 scores.
 * @param iouThreshold boxes overlapping a kept box with IoU above it are discarded.
 * @param opts score threshold, pre-NMS top-k, output top-k.
 * @returns `[K]` int32 indices of the kept boxes, by decreasing score.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { nms } from '@fovea/detection';
 * const boxes = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]);
 * const keep = await nms(boxes, tf.tensor1d([0.9, 0.8, 0.7]), 0.5);
 * keep.print(); // [0, 2]
 * ```
 * @category NMS
 */
export async function nms(boxes: tf.Tensor, scores: tf.Tensor, iouThreshold: number, opts: NmsOptions = {}): Promise<tf.Tensor1D> {
  const op = 'nms';
  checkNmsArgs(op, boxes, scores, opts);
  const thr = checkNumber(op, 'iouThreshold', iouThreshold);
  const slicer = slicerFor(op, opts.sliceMs);
  const c = await readCandidates(op, boxes, scores, opts);
  const keep = await greedyNms(c.boxes, c.order, thr, c.topK, slicer);
  return tf.tensor1d(keep, 'int32');
}
