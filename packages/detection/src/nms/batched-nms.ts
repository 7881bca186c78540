import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, FoveaError } from '@fovea/core';
import { slicerFor } from '../_internal/time-slice.js';
import { greedyNms } from './_greedy.js';
import type { NmsOptions } from './nms.js';
import { checkNmsArgs, readCandidates } from './_prepare.js';

/**
 * Class-aware NMS, like `torchvision.ops.batched_nms`: greedy NMS run
 * independently for each category (boxes of different categories never
 * suppress each other), the kept indices merged by decreasing score. `topK`
 * caps the merged result (a detector's detections per image); the score
 * threshold and `preNmsTopK` apply before grouping.
 *
 * Async and identical on every backend (see {@link nms}).
 *
 * @param boxes `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param scores `[N]` float32 scores.
 * @param idxs `[N]` int32 category (or image) of each box; any integers.
 * @param iouThreshold the NMS threshold within a category.
 * @param opts score threshold, pre-NMS top-k, output top-k.
 * @returns `[K]` int32 indices of the kept boxes, by decreasing score.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { batchedNms } from '@fovea/detection';
 * const boxes = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [1, 1, 11, 11]]);
 * const keep = await batchedNms(boxes, tf.tensor1d([0.9, 0.8, 0.7]), tf.tensor1d([0, 0, 1], 'int32'), 0.5);
 * keep.print(); // [0, 2]
 * ```
 * @category NMS
 */
export async function batchedNms(
  boxes: tf.Tensor,
  scores: tf.Tensor,
  idxs: tf.Tensor,
  iouThreshold: number,
  opts: NmsOptions = {},
): Promise<tf.Tensor1D> {
  const op = 'batchedNms';
  const dims = {};
  checkNmsArgs(op, boxes, scores, opts, dims);
  checkTensor(op, 'idxs', idxs, { shape: ['N'], dtype: ['int32', 'float32'] }, dims);
  const thr = checkNumber(op, 'iouThreshold', iouThreshold);
  const slicer = slicerFor(op, opts.sliceMs);
  const [c, cls] = await Promise.all([readCandidates(op, boxes, scores, opts), idxs.data()]);
  for (let i = 0; i < cls.length; i++) {
    if (!Number.isInteger(cls[i])) {
      throw new FoveaError({ op, arg: 'idxs', expected: 'integer category ids', got: `${cls[i]} at index ${i}` });
    }
  }
  // candidates of each category, in the global score order
  const groups = new Map<number, number[]>();
  for (let t = 0; t < c.order.length; t++) {
    const i = c.order[t]!;
    const g = groups.get(cls[i]!);
    if (g) g.push(i);
    else groups.set(cls[i]!, [i]);
  }
  const kept = new Uint8Array(c.scores.length);
  for (const members of groups.values()) {
    const keep = await greedyNms(c.boxes, Int32Array.from(members), thr, c.topK, slicer);
    for (let t = 0; t < keep.length; t++) kept[keep[t]!] = 1;
  }
  const out: number[] = [];
  for (let t = 0; t < c.order.length && out.length < c.topK; t++) if (kept[c.order[t]!]) out.push(c.order[t]!);
  return tf.tensor1d(out, 'int32');
}
