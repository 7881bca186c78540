import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf, checkTensor } from '@fovea/core';
import { checkBoxesTensor, checkBoxRows, checkScoreValues } from '../_internal/boxes.js';
import { slicerFor } from '../_internal/time-slice.js';
import { iouAt } from './_greedy.js';

/** Options for {@link softNms}. @category NMS */
export interface SoftNmsOptions {
  /** `'gaussian'` (default): `s ← s·exp(-iou² / sigma)`; `'linear'`: `s ← s·(1 - iou)` when `iou > iouThreshold`. */
  method?: 'gaussian' | 'linear';
  /** Width of the Gaussian decay; default 0.5. */
  sigma?: number;
  /** Overlap above which the linear method decays a score; default 0.3 (unused by `'gaussian'`). */
  iouThreshold?: number;
  /** Boxes whose (decayed) score falls below this are dropped for good; default 0.001. */
  scoreThreshold?: number;
  /** Stop after this many boxes are selected; default: all. */
  topK?: number;
  /** Longest stretch of work between two yields to the event loop, ms; default 12. */
  sliceMs?: number;
}

/** What {@link softNms} returns (the caller owns both tensors). @category NMS */
export interface SoftNmsResult {
  /** `[K]` int32 indices of the selected boxes, in selection order. */
  keep: tf.Tensor1D;
  /** `[K]` float32 score of each selected box at the moment it was selected. */
  scores: tf.Tensor1D;
}

/**
 * Soft-NMS (Bodla et al., ICCV 2017): instead of discarding the boxes that
 * overlap a selected box, decay their scores, and drop a box only once its
 * score falls below `scoreThreshold`. Repeatedly selects the highest current
 * score (ties: the lower index), then decays every remaining box by its IoU
 * with the selection (xyxy, no `+1`). Async, float64 on typed arrays,
 * identical on every backend; rejects non-finite scores and inverted boxes.
 *
 * @param boxes `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param scores `[N]` float32 scores.
 * @param opts method, sigma, thresholds, top-k.
 * @returns the selected indices and their scores at selection.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { softNms } from '@fovea/detection';
 * const boxes = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]);
 * const { keep, scores } = await softNms(boxes, tf.tensor1d([0.9, 0.8, 0.7]));
 * keep.print(); // [0, 2, 1]
 * scores.print(); // [0.9, 0.7, 0.3167]
 * ```
 * @category NMS
 */
export async function softNms(boxes: tf.Tensor, scores: tf.Tensor, opts: SoftNmsOptions = {}): Promise<SoftNmsResult> {
  const op = 'softNms';
  const dims = {};
  checkBoxesTensor(op, 'boxes', boxes, dims);
  checkTensor(op, 'scores', scores, { shape: ['N'], dtype: 'float32' }, dims);
  const linear = checkOneOf(op, 'options.method', opts.method ?? 'gaussian', ['gaussian', 'linear'] as const) === 'linear';
  const sigma = checkNumber(op, 'options.sigma', opts.sigma ?? 0.5, { gt: 0 });
  const thr = checkNumber(op, 'options.iouThreshold', opts.iouThreshold ?? 0.3);
  const sthr = checkNumber(op, 'options.scoreThreshold', opts.scoreThreshold ?? 0.001);
  const topK = opts.topK === undefined || opts.topK === Infinity ? Infinity : checkNumber(op, 'options.topK', opts.topK, { integer: true, min: 0 });
  const slicer = slicerFor(op, opts.sliceMs);
  const [b, s0] = (await Promise.all([boxes.data(), scores.data()])) as [Float32Array, Float32Array];
  checkBoxRows(op, 'boxes', b);
  checkScoreValues(op, 'scores', s0);

  const S = Float64Array.from(s0);
  let active = new Int32Array(S.length);
  let na = 0;
  let m = -1;
  for (let i = 0; i < S.length; i++) {
    if (!(S[i]! >= sthr)) continue;
    active[na++] = i;
    if (m < 0 || S[i]! > S[m]!) m = i; // ascending scan: ties keep the lower index
  }
  const keep: number[] = [];
  const kept: number[] = [];
  let next = new Int32Array(S.length);
  while (m >= 0 && keep.length < topK) {
    keep.push(m);
    kept.push(S[m]!);
    // one pass: decay, drop the boxes below the threshold, find the next maximum
    let nn = 0;
    let best = -1;
    for (let t = 0; t < na; t++) {
      const i = active[t]!;
      if (i === m) continue;
      let o = iouAt(b, m, i);
      if (!(o > 0)) o = 0; // two empty boxes: 0/0 counts as no overlap
      if (linear) {
        if (o > thr) S[i] = S[i]! * (1 - o);
      } else if (o !== 0) {
        S[i] = S[i]! * Math.exp(-(o * o) / sigma);
      }
      if (!(S[i]! >= sthr)) continue;
      next[nn++] = i;
      if (best < 0 || S[i]! > S[best]!) best = i;
    }
    [active, next] = [next, active];
    na = nn;
    m = best;
    if (slicer.due()) await slicer.pause();
  }
  return { keep: tf.tensor1d(keep, 'int32'), scores: tf.tensor1d(kept, 'float32') };
}
