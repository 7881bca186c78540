import { addConfusion, checkNumClasses, inferNumClasses, readLabelPair, toRows } from '../_internal/confusion.js';
import type { MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link confusionMatrix}. @category Classification */
export interface ConfusionMatrixOptions {
  /** Number of classes `C`; labels must lie in `[0, C)`. Default: the largest label + 1. */
  numClasses?: number;
}

/**
 * The confusion matrix (scikit-learn's `confusion_matrix(targets, preds,
 * labels=range(C))`): `matrix[t][p]` counts the samples of true class `t`
 * predicted as `p` — **rows are the true class**.
 *
 * @param preds `[N]` predicted labels in `[0, C)`.
 * @param targets `[N]` true labels in `[0, C)`.
 * @param opts see {@link ConfusionMatrixOptions}.
 * @returns `[C, C]` counts as nested rows.
 * @throws FoveaError when the lengths differ or a label is outside `[0, C)`.
 * @example
 * ```ts
 * import { confusionMatrix } from '@fovea/metrics';
 * await confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], { numClasses: 3 });
 * // [[1, 0, 0],
 * //  [0, 1, 0],
 * //  [0, 1, 1]]
 * ```
 * @category Classification
 */
export async function confusionMatrix(preds: MetricInput, targets: MetricInput, opts: ConfusionMatrixOptions = {}): Promise<number[][]> {
  const op = 'confusionMatrix';
  let c = checkNumClasses(op, opts.numClasses, false);
  const { p, t } = await readLabelPair(op, preds, targets);
  c ??= inferNumClasses(p, t);
  const cm = new Float64Array(c * c);
  addConfusion(op, cm, c, p, t);
  return toRows(cm, c);
}

/** Options for {@link ConfusionMatrix}. @category Classification */
export interface ConfusionMatrixMetricOptions {
  /** Number of classes `C` (required: it fixes the matrix size). */
  numClasses: number;
}

/**
 * Streaming {@link confusionMatrix}: accumulates a `[C, C]` count matrix.
 *
 * @example
 * ```ts
 * import { ConfusionMatrix } from '@fovea/metrics';
 * const cm = new ConfusionMatrix({ numClasses: 2 });
 * await cm.update([0, 1], [0, 0]);
 * await cm.update([1], [1]);
 * cm.compute(); // [[1, 1], [0, 1]]
 * ```
 * @category Classification
 */
export class ConfusionMatrix implements Metric<[MetricInput, MetricInput], number[][]> {
  /** Number of classes `C`. */
  readonly numClasses: number;
  /** `[C, C]` row-major counts, rows = true class. */
  private readonly counts: Float64Array;

  constructor(opts: ConfusionMatrixMetricOptions) {
    this.numClasses = checkNumClasses('ConfusionMatrix', opts?.numClasses, true)!;
    this.counts = new Float64Array(this.numClasses * this.numClasses);
  }

  /**
   * Adds a batch.
   * @param preds `[B]` predicted labels.
   * @param targets `[B]` true labels.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    const op = `${this.constructor.name}.update`;
    const { p, t } = await readLabelPair(op, preds, targets);
    addConfusion(op, this.counts, this.numClasses, p, t);
  }

  /** `[C, C]` counts over every sample seen (rows = true class). */
  compute(): number[][] {
    return toRows(this.counts, this.numClasses);
  }

  /** Zeroes the counts. */
  reset(): void {
    this.counts.fill(0);
  }
}
