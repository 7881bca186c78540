import { checkNumber, checkOneOf, FoveaError, describeValue } from '@fovea/core';
import { addConfusion, checkNumClasses, inferNumClasses, readLabelPair } from '../_internal/confusion.js';
import type { MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** How per-class scores are combined (scikit-learn's `average`). @category Classification */
export type ClassAverage = 'macro' | 'micro' | 'weighted' | 'none';

/** Options for {@link precisionRecallF1} and {@link PrecisionRecallF1}. @category Classification */
export interface PrecisionRecallF1Options {
  /** Number of classes `C`; labels lie in `[0, C)`. Default: the largest label + 1 (required by the class). */
  numClasses?: number;
  /**
   * `macro` (default): plain mean over all `C` classes, absent ones included;
   * `weighted`: mean weighted by support; `micro`: from the summed counts;
   * `none`: per-class arrays.
   */
  average?: ClassAverage;
  /** Value of a 0/0 precision or recall: 0 (default) or 1, as scikit-learn's `zero_division`. */
  zeroDivision?: 0 | 1;
  /** `β` of the F-score, `(1+β²)PR / (β²P + R)`; default 1 (F1). */
  beta?: number;
}

/** Averaged scores from {@link precisionRecallF1}. @category Classification */
export interface AveragedScores {
  /** Averaged precision. */
  precision: number;
  /** Averaged recall. */
  recall: number;
  /** Averaged F-score (F1 unless `beta` is set). */
  f1: number;
}

/** Per-class scores from {@link precisionRecallF1} with `average: 'none'`. @category Classification */
export interface PerClassScores {
  /** `[C]` precision per class. */
  precision: number[];
  /** `[C]` recall per class. */
  recall: number[];
  /** `[C]` F-score per class. */
  f1: number[];
  /** `[C]` number of true samples per class. */
  support: number[];
}

interface Resolved {
  average: ClassAverage;
  zeroDivision: 0 | 1;
  beta: number;
}

function resolve(op: string, opts: PrecisionRecallF1Options): Resolved {
  const average = checkOneOf(op, 'options.average', opts.average ?? 'macro', ['macro', 'micro', 'weighted', 'none'] as const);
  const zd = opts.zeroDivision ?? 0;
  if (zd !== 0 && zd !== 1) throw new FoveaError({ op, arg: 'options.zeroDivision', expected: '0 or 1', got: describeValue(zd) });
  const beta = checkNumber(op, 'options.beta', opts.beta ?? 1, { min: 0 });
  return { average, zeroDivision: zd, beta };
}

/** sklearn `_prf_divide`: 0/0 → zero_division. */
function divide(num: number[], den: number[], zd: number): number[] {
  return num.map((x, i) => (den[i] === 0 ? zd : x / den[i]!));
}

/** scikit-learn 1.2 `precision_recall_fscore_support` from a `[C, C]` confusion matrix. @internal */
export function scoresFromConfusion(cm: ArrayLike<number>, c: number, r: Resolved): AveragedScores | PerClassScores {
  let tp: number[] = [];
  let pred: number[] = [];
  let truth: number[] = [];
  for (let k = 0; k < c; k++) {
    let colSum = 0;
    let rowSum = 0;
    for (let j = 0; j < c; j++) {
      colSum += cm[j * c + k]!;
      rowSum += cm[k * c + j]!;
    }
    tp.push(cm[k * c + k]!);
    pred.push(colSum);
    truth.push(rowSum);
  }
  const support = truth.slice();
  if (r.average === 'micro') {
    const sum = (a: number[]): number[] => [a.reduce((s, v) => s + v, 0)];
    tp = sum(tp);
    pred = sum(pred);
    truth = sum(truth);
  }
  const precision = divide(tp, pred, r.zeroDivision);
  const recall = divide(tp, truth, r.zeroDivision);
  const b2 = r.beta * r.beta;
  const f = precision.map((p, i) => {
    const den = b2 * p + recall[i]!;
    return den === 0 ? 0 : ((1 + b2) * p * recall[i]!) / den;
  });
  if (r.average === 'none') return { precision, recall, f1: f, support };
  let weights: number[] | null = null;
  if (r.average === 'weighted') {
    weights = truth;
    if (weights.reduce((s, v) => s + v, 0) === 0) {
      const z = r.zeroDivision;
      const anyPred = pred.some((v) => v > 0);
      return anyPred ? { precision: 0, recall: z, f1: 0 } : { precision: z, recall: z, f1: z };
    }
  }
  const avg = (a: number[]): number => {
    if (!weights) return a.reduce((s, v) => s + v, 0) / a.length;
    let num = 0;
    let den = 0;
    a.forEach((v, i) => {
      num += v * weights![i]!;
      den += weights![i]!;
    });
    return num / den;
  };
  return { precision: avg(precision), recall: avg(recall), f1: avg(f) };
}

/**
 * Precision, recall and F-score per class and averaged (scikit-learn's
 * `precision_recall_fscore_support(targets, preds, labels=range(C),
 * average=…, zero_division=…)`, version 1.2). Per class `c`:
 * `P = tp/(tp+fp)`, `R = tp/(tp+fn)`, `F = (1+β²)PR/(β²P+R)`, with a 0/0
 * precision or recall set to `zeroDivision` and `F = 0` when `β²P+R = 0`.
 *
 * @param preds `[N]` predicted labels in `[0, C)`.
 * @param targets `[N]` true labels in `[0, C)`.
 * @param opts see {@link PrecisionRecallF1Options}; `average: 'none'` returns per-class arrays.
 * @returns `{precision, recall, f1}` (numbers), or {@link PerClassScores} for `average: 'none'`.
 * @example
 * ```ts
 * import { precisionRecallF1 } from '@fovea/metrics';
 * await precisionRecallF1([0, 1, 1, 0], [0, 1, 0, 0], { numClasses: 2 });
 * // { precision: 0.75, recall: 0.8333…, f1: 0.7333… }
 * await precisionRecallF1([0, 1, 1, 0], [0, 1, 0, 0], { average: 'none' });
 * // { precision: [1, 0.5], recall: [0.6667, 1], f1: [0.8, 0.6667], support: [3, 1] }
 * ```
 * @category Classification
 */
export async function precisionRecallF1(
  preds: MetricInput,
  targets: MetricInput,
  opts: PrecisionRecallF1Options & { average: 'none' },
): Promise<PerClassScores>;
export async function precisionRecallF1(
  preds: MetricInput,
  targets: MetricInput,
  opts?: PrecisionRecallF1Options & { average?: 'macro' | 'micro' | 'weighted' },
): Promise<AveragedScores>;
export async function precisionRecallF1(
  preds: MetricInput,
  targets: MetricInput,
  opts?: PrecisionRecallF1Options,
): Promise<AveragedScores | PerClassScores>;
export async function precisionRecallF1(
  preds: MetricInput,
  targets: MetricInput,
  opts: PrecisionRecallF1Options = {},
): Promise<AveragedScores | PerClassScores> {
  const op = 'precisionRecallF1';
  const r = resolve(op, opts);
  let c = checkNumClasses(op, opts.numClasses, false);
  const { p, t } = await readLabelPair(op, preds, targets);
  c ??= inferNumClasses(p, t);
  const cm = new Float64Array(c * c);
  addConfusion(op, cm, c, p, t);
  return scoresFromConfusion(cm, c, r);
}

/**
 * Streaming {@link precisionRecallF1}: accumulates a confusion matrix and
 * derives the scores from it on `compute()`.
 *
 * @example
 * ```ts
 * import { PrecisionRecallF1 } from '@fovea/metrics';
 * const m = new PrecisionRecallF1({ numClasses: 3, average: 'macro' });
 * await m.update([0, 1, 2], [0, 1, 1]);
 * await m.update([2], [2]);
 * m.compute(); // { precision: 0.8333…, recall: 0.8333…, f1: 0.7777… }
 * ```
 * @category Classification
 */
export class PrecisionRecallF1 implements Metric<[MetricInput, MetricInput], AveragedScores | PerClassScores> {
  /** Number of classes `C`. */
  readonly numClasses: number;
  private readonly opts: Resolved;
  private readonly counts: Float64Array;

  constructor(opts: PrecisionRecallF1Options & { numClasses: number }) {
    const op = 'PrecisionRecallF1';
    this.numClasses = checkNumClasses(op, opts?.numClasses, true)!;
    this.opts = resolve(op, opts);
    this.counts = new Float64Array(this.numClasses * this.numClasses);
  }

  /**
   * Adds a batch.
   * @param preds `[B]` predicted labels.
   * @param targets `[B]` true labels.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    const op = 'PrecisionRecallF1.update';
    const { p, t } = await readLabelPair(op, preds, targets);
    addConfusion(op, this.counts, this.numClasses, p, t);
  }

  /** The scores over every sample seen (per-class arrays when `average` is `'none'`). */
  compute(): AveragedScores | PerClassScores {
    return scoresFromConfusion(this.counts, this.numClasses, this.opts);
  }

  /** Zeroes the counts. */
  reset(): void {
    this.counts.fill(0);
  }
}
