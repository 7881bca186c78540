import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, FoveaError } from '@fovea/core';

/** Options for {@link matchBoxes}. @category Matching */
export interface MatcherOptions {
  /** Quality at or above which a prediction is matched; e.g. 0.7 (RPN) or 0.5 (Fast R-CNN). */
  highThreshold: number;
  /** Quality below which a prediction is background (`-1`); between the two it is `-2` (ignored). At most `highThreshold`. */
  lowThreshold: number;
  /** Give each ground truth its best predictions even below the thresholds (ties included); default false. */
  allowLowQualityMatches?: boolean;
}

/** Match code: the best quality was below `lowThreshold` (background). @category Matching */
export const BELOW_LOW_THRESHOLD = -1;
/** Match code: the best quality was in `[lowThreshold, highThreshold)` (ignored). @category Matching */
export const BETWEEN_THRESHOLDS = -2;

/** The matching rule on a row-major `[M, N]` quality matrix. */
function matchData(q: ArrayLike<number>, m: number, n: number, hi: number, lo: number, allow: boolean): Int32Array {
  const matches = new Int32Array(n);
  const best = new Float64Array(n).fill(-Infinity);
  for (let j = 0; j < n; j++) {
    let g = 0;
    for (let i = 0; i < m; i++) {
      const v = q[i * n + j]!;
      if (v > best[j]!) {
        best[j] = v;
        g = i;
      }
    }
    matches[j] = g;
  }
  const argmax = allow ? Int32Array.from(matches) : matches;
  for (let j = 0; j < n; j++) {
    if (best[j]! < lo) matches[j] = BELOW_LOW_THRESHOLD;
    else if (best[j]! < hi) matches[j] = BETWEEN_THRESHOLDS;
  }
  if (!allow) return matches;
  for (let i = 0; i < m; i++) {
    let rowMax = -Infinity;
    for (let j = 0; j < n; j++) rowMax = Math.max(rowMax, q[i * n + j]!);
    // every prediction tied with the best quality of this ground truth gets its own best match back
    for (let j = 0; j < n; j++) if (q[i * n + j] === rowMax) matches[j] = argmax[j]!;
  }
  return matches;
}

/**
 * Assigns each prediction (anchor, proposal) to a ground-truth box, like
 * torchvision's `Matcher`: with `v, g` = best quality and its ground truth per
 * prediction, the match is `g` when `v >= highThreshold`, `-1`
 * ({@link BELOW_LOW_THRESHOLD}) when `v < lowThreshold`, `-2`
 * ({@link BETWEEN_THRESHOLDS}) in between. With `allowLowQualityMatches`,
 * every prediction whose quality equals some ground truth's best (exact ties
 * included) gets its own best ground truth back, so no ground truth is left
 * without a match (Faster R-CNN's RPN). With no ground truths, every
 * prediction is `-1`.
 *
 * Async: reads the matrix back (and rejects NaN qualities, naming the first).
 *
 * @param quality `[M, N]` float32 quality (usually IoU) of M ground truths × N predictions.
 * @param opts thresholds and the low-quality rule.
 * @returns `[N]` int32 matches: a ground-truth index, `-1` or `-2`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { matchBoxes } from '@fovea/detection';
 * const iou = tf.tensor2d([[0.9, 0.5, 0.1], [0.2, 0.6, 0.35]]);
 * const m = await matchBoxes(iou, { highThreshold: 0.7, lowThreshold: 0.3 });
 * m.print(); // [0, -2, -2]
 * ```
 * @category Matching
 */
export async function matchBoxes(quality: tf.Tensor, opts: MatcherOptions): Promise<tf.Tensor1D> {
  const op = 'matchBoxes';
  checkTensor(op, 'quality', quality, { rank: 2, dtype: 'float32' });
  const { hi, lo, allow } = checkMatcherOptions(op, opts);
  const [m, n] = quality.shape as [number, number];
  const q = await quality.data();
  for (let i = 0; i < q.length; i++) {
    if (Number.isNaN(q[i])) {
      throw new FoveaError({ op, arg: 'quality', expected: 'no NaN', got: `NaN at row ${Math.floor(i / n)} (column ${i % n})` });
    }
  }
  if (m === 0) return tf.fill([n], BELOW_LOW_THRESHOLD, 'int32') as tf.Tensor1D;
  return tf.tensor1d(matchData(q, m, n, hi, lo, allow), 'int32');
}

function checkMatcherOptions(op: string, opts: MatcherOptions): { hi: number; lo: number; allow: boolean } {
  if (typeof opts !== 'object' || opts === null) {
    throw new FoveaError({ op, arg: 'options', expected: '{ highThreshold, lowThreshold }', got: String(opts) });
  }
  const hi = checkNumber(op, 'options.highThreshold', opts.highThreshold);
  const lo = checkNumber(op, 'options.lowThreshold', opts.lowThreshold, { max: hi });
  return { hi, lo, allow: !!opts.allowLowQualityMatches };
}

/**
 * torchvision's `Matcher` as an object: thresholds fixed once,
 * `await matcher.match(quality)`. See {@link matchBoxes}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Matcher } from '@fovea/detection';
 * const matcher = new Matcher({ highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true });
 * const m = await matcher.match(tf.tensor2d([[0.9, 0.5, 0.1], [0.2, 0.6, 0.35]]));
 * m.print(); // [0, 1, -2]
 * ```
 * @category Matching
 */
export class Matcher {
  /** Match code for background. */
  static readonly BELOW_LOW_THRESHOLD = BELOW_LOW_THRESHOLD;
  /** Match code for ignored predictions. */
  static readonly BETWEEN_THRESHOLDS = BETWEEN_THRESHOLDS;
  readonly highThreshold: number;
  readonly lowThreshold: number;
  readonly allowLowQualityMatches: boolean;

  constructor(opts: MatcherOptions) {
    const { hi, lo, allow } = checkMatcherOptions('Matcher', opts);
    this.highThreshold = hi;
    this.lowThreshold = lo;
    this.allowLowQualityMatches = allow;
  }

  /** `[N]` int32 matches for an `[M, N]` quality matrix. */
  match(quality: tf.Tensor): Promise<tf.Tensor1D> {
    return matchBoxes(quality, {
      highThreshold: this.highThreshold,
      lowThreshold: this.lowThreshold,
      allowLowQualityMatches: this.allowLowQualityMatches,
    });
  }
}
