import { checkNumber, FoveaError, describeValue } from '@fovea/core';
import type { CocoEvalResult } from './coco-types.js';

/**
 * Python's `'{:0.Nf}'.format(x)`. Both it and `toFixed` round the exact
 * binary value correctly; they differ only on exact ties (x·10^N ending in
 * .5), where Python rounds half to even. x is such a tie iff x·2^(N+1) is an
 * odd integer (a power-of-two scaling, so the test itself is exact).
 */
function pyFixed(x: number, digits: number): string {
  const y = Math.abs(x) * 2 ** (digits + 1);
  if (Number.isInteger(y) && y % 2 === 1 && y * 5 ** digits < 2 ** 53) {
    const n = (y * 5 ** digits - 1) / 2; // |x|·10^N = n + 0.5
    const even = n % 2 === 0 ? n : n + 1;
    return `${x < 0 ? '-' : ''}${(even / 10 ** digits).toFixed(digits)}`;
  }
  return x.toFixed(digits);
}

/**
 * The 12 lines pycocotools' `summarize()` prints, character for character:
 * `" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.372"`.
 *
 * @param result a {@link CocoEvalResult}.
 * @returns the lines joined with `\n`.
 * @example
 * ```ts
 * import { cocoEvaluate, formatCocoSummary } from '@fovea/metrics';
 * const gt = { images: [{ id: 1 }], categories: [{ id: 1 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 20, 20], area: 400 }] };
 * console.log(formatCocoSummary(cocoEvaluate(gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, 20, 20], score: 1 }])));
 * //  Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000
 * //  …
 * //  Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000
 * ```
 * @category COCO
 */
export function formatCocoSummary(result: CocoEvalResult): string {
  const p = result.params;
  const md = p.maxDets;
  const rows: [boolean, number | null, string, number][] = [
    [true, null, 'all', 100],
    [true, 0.5, 'all', md[2]!],
    [true, 0.75, 'all', md[2]!],
    [true, null, 'small', md[2]!],
    [true, null, 'medium', md[2]!],
    [true, null, 'large', md[2]!],
    [false, null, 'all', md[0]!],
    [false, null, 'all', md[1]!],
    [false, null, 'all', md[2]!],
    [false, null, 'small', md[2]!],
    [false, null, 'medium', md[2]!],
    [false, null, 'large', md[2]!],
  ];
  const thr = p.iouThresholds;
  return rows
    .map(([ap, iou, area, m], i) => {
      const title = (ap ? 'Average Precision' : 'Average Recall').padEnd(18);
      const type = ap ? '(AP)' : '(AR)';
      const iouStr = (iou === null ? `${pyFixed(thr[0]!, 2)}:${pyFixed(thr[thr.length - 1]!, 2)}` : pyFixed(iou, 2)).padEnd(9);
      return ` ${title} ${type} @[ IoU=${iouStr} | area=${area.padStart(6)} | maxDets=${String(m).padStart(3)} ] = ${pyFixed(result.stats[i]!, 3)}`;
    })
    .join('\n');
}

/** Options for {@link cocoPrecisionRecall}. @category COCO */
export interface CocoPrecisionRecallOptions {
  /** IoU threshold, one of the evaluated ones. Default 0.5. */
  iouThreshold?: number;
  /** One category id; default: the mean over categories that have ground truth. */
  categoryId?: number;
  /** Area-range label. Default `all`. */
  areaRange?: string;
  /** One of the evaluated maxDets. Default the largest. */
  maxDets?: number;
}

/**
 * The interpolated precision–recall curve of a COCO evaluation, for
 * plotting (what pycocotools' `eval['precision'][t, :, k, a, m]` holds):
 * precision at each of the recall thresholds, for one category or averaged
 * over those with ground truth.
 *
 * @param result a {@link CocoEvalResult}.
 * @param opts see {@link CocoPrecisionRecallOptions}.
 * @returns `recall` (the `[R]` recall thresholds) and `[R]` `precision` (-1 when no category has ground truth).
 * @example
 * ```ts
 * import { cocoEvaluate, cocoPrecisionRecall } from '@fovea/metrics';
 * const gt = { images: [{ id: 1 }], categories: [{ id: 1 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 20, 20], area: 400 }] };
 * const r = cocoEvaluate(gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, 20, 20], score: 1 }]);
 * const { recall, precision } = cocoPrecisionRecall(r, { iouThreshold: 0.5 });
 * recall.length; // 101; precision is 1 everywhere
 * ```
 * @category COCO
 */
export function cocoPrecisionRecall(result: CocoEvalResult, opts: CocoPrecisionRecallOptions = {}): { recall: number[]; precision: number[] } {
  const op = 'cocoPrecisionRecall';
  const p = result.params;
  const [, R, K, A, M] = result.counts;
  const iou = checkNumber(op, 'options.iouThreshold', opts.iouThreshold ?? 0.5, { min: 0, max: 1 });
  const t = p.iouThresholds.findIndex((v) => Math.abs(v - iou) < 1e-9);
  const a = p.areaRanges.findIndex((r) => r.label === (opts.areaRange ?? 'all'));
  const m = p.maxDets.indexOf(opts.maxDets ?? p.maxDets[M - 1]!);
  if (t < 0) throw new FoveaError({ op, arg: 'options.iouThreshold', expected: `one of ${describeValue(p.iouThresholds)}`, got: String(iou) });
  if (a < 0) throw new FoveaError({ op, arg: 'options.areaRange', expected: `one of ${p.areaRanges.map((r) => `'${r.label}'`).join(', ')}`, got: describeValue(opts.areaRange) });
  if (m < 0) throw new FoveaError({ op, arg: 'options.maxDets', expected: `one of ${describeValue(p.maxDets)}`, got: describeValue(opts.maxDets) });
  let ks = [...Array(K).keys()];
  if (opts.categoryId !== undefined) {
    const k = p.useCats ? p.catIds.indexOf(opts.categoryId) : -1;
    if (k < 0) throw new FoveaError({ op, arg: 'options.categoryId', expected: 'an evaluated category id', got: describeValue(opts.categoryId) });
    ks = [k];
  }
  const precision: number[] = [];
  for (let r = 0; r < R; r++) {
    let s = 0;
    let n = 0;
    for (const k of ks) {
      const v = result.precision[(((t * R + r) * K + k) * A + a) * M + m]!;
      if (v > -1) {
        s += v;
        n++;
      }
    }
    precision.push(n ? s / n : -1);
  }
  return { recall: p.recallThresholds.slice(), precision };
}
