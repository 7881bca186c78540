import { FoveaError, formatShape } from '@fovea/core';
import { readInput, type MetricInput } from '../_internal/input.js';

/** Options for {@link vocAp}. @category Detection */
export interface VocApOptions {
  /** Use VOC2007's 11-point interpolation instead of the VOC2010+ area. Default false. */
  use07Metric?: boolean;
}

/** The VOC AP of a cumulative curve, in float64 (py-faster-rcnn `voc_ap`). @internal */
export function vocApFromCurve(rec: ArrayLike<number>, prec: ArrayLike<number>, use07: boolean): number {
  const n = rec.length;
  if (use07) {
    let ap = 0;
    for (let i = 0; i <= 10; i++) {
      const t = i * 0.1; // np.arange(0.0, 1.1, 0.1)
      let p = -Infinity;
      for (let k = 0; k < n; k++) if (rec[k]! >= t && prec[k]! > p) p = prec[k]!;
      ap += (p === -Infinity ? 0 : p) / 11;
    }
    return ap;
  }
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  for (let k = 0; k < n; k++) {
    mrec[k + 1] = rec[k]!;
    mpre[k + 1] = prec[k]!;
  }
  mrec[n + 1] = 1;
  for (let i = n + 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1]!, mpre[i]!);
  let ap = 0;
  for (let i = 0; i < n + 1; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1]! - mrec[i]!) * mpre[i + 1]!;
  return ap;
}

/**
 * PASCAL VOC average precision of a ranked detection list's cumulative
 * precision/recall curve (py-faster-rcnn / Detectron `voc_eval.voc_ap`).
 *
 * - VOC2010+ (default): the area under the curve after making precision
 *   non-increasing from the right, with sentinels `recall 0 … 1`,
 *   `precision 0 … 0`.
 * - VOC2007 (`use07Metric`): the mean over `t ∈ {0, 0.1, …, 1}` of the
 *   highest precision at recall ≥ `t` (0 if none).
 *
 * @param recall `[K]` cumulative recall, non-decreasing.
 * @param precision `[K]` cumulative precision.
 * @param opts see {@link VocApOptions}.
 * @returns the AP in `[0, 1]`.
 * @example
 * ```ts
 * import { vocAp } from '@fovea/metrics';
 * await vocAp([0.5, 0.5, 1], [1, 0.5, 2 / 3]);                       // 0.8333…
 * await vocAp([0.5, 0.5, 1], [1, 0.5, 2 / 3], { use07Metric: true }); // 0.8485…
 * ```
 * @category Detection
 */
export async function vocAp(recall: MetricInput, precision: MetricInput, opts: VocApOptions = {}): Promise<number> {
  const op = 'vocAp';
  const r = await readInput(op, 'recall', recall, { rank: 1 });
  const p = await readInput(op, 'precision', precision, { rank: 1 });
  if (p.shape[0] !== r.shape[0]) {
    throw new FoveaError({ op, arg: 'precision', expected: `the length of recall (${r.shape[0]})`, got: `shape ${formatShape(p.shape)}` });
  }
  for (let i = 1; i < r.data.length; i++) {
    if (r.data[i]! < r.data[i - 1]!) {
      throw new FoveaError({ op, arg: 'recall', expected: 'non-decreasing values', got: `${r.data[i]} after ${r.data[i - 1]} at index ${i}` });
    }
  }
  return vocApFromCurve(r.data, p.data, opts.use07Metric ?? false);
}
