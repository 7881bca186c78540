import { FoveaError, formatShape } from '@fovea/core';
import { prCurve } from '../_internal/binary-curve.js';
import { F64Buffer, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** A precision–recall curve, as scikit-learn's `precision_recall_curve` returns it. @category Classification */
export interface PrecisionRecallCurve {
  /** `[T + 1]` precision at each threshold (recall decreasing), then a final 1. */
  precision: number[];
  /** `[T + 1]` recall at each threshold (decreasing), then a final 0. */
  recall: number[];
  /** `[T]` the distinct scores, increasing: "score ≥ threshold" is predicted positive. */
  thresholds: number[];
}

/** Reads `[N]` scores and `[N]` binary labels. @internal */
export async function readBinary(op: string, scores: MetricInput, labels: MetricInput): Promise<{ s: ArrayLike<number>; y: ArrayLike<number> }> {
  const s = await readInput(op, 'scores', scores, { rank: 1 });
  const y = await readInput(op, 'labels', labels, { rank: 1, kind: 'bool' });
  if (y.shape[0] !== s.shape[0]) {
    throw new FoveaError({ op, arg: 'labels', expected: `the length of scores (${s.shape[0]})`, got: `shape ${formatShape(y.shape)}` });
  }
  return { s: s.data, y: y.data };
}

/**
 * The precision–recall curve of a binary classifier (scikit-learn 1.2's
 * `precision_recall_curve(labels, scores)`): every distinct score is a
 * threshold ("positive if score ≥ threshold"; tied scores enter together).
 * Without positives, recall is 1 at every threshold (scikit-learn's rule).
 *
 * @param scores `[N]` scores, higher = more positive.
 * @param labels `[N]` booleans (or 0/1), true = positive.
 * @returns the curve; see {@link PrecisionRecallCurve}.
 * @example
 * ```ts
 * import { precisionRecallCurve } from '@fovea/metrics';
 * await precisionRecallCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
 * // precision [0.5, 0.6667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
 * ```
 * @category Classification
 */
export async function precisionRecallCurve(scores: MetricInput, labels: MetricInput): Promise<PrecisionRecallCurve> {
  const { s, y } = await readBinary('precisionRecallCurve', scores, labels);
  return prCurve(s, y);
}

/**
 * Streaming {@link precisionRecallCurve}: keeps every score and label (16
 * bytes a sample), so the curve is exact, not binned.
 *
 * @example
 * ```ts
 * import { PrecisionRecallCurveMetric } from '@fovea/metrics';
 * const m = new PrecisionRecallCurveMetric();
 * await m.update([0.1, 0.4], [false, false]);
 * await m.update([0.35, 0.8], [true, true]);
 * m.compute().recall; // [1, 1, 0.5, 0.5, 0]
 * ```
 * @category Classification
 */
export class PrecisionRecallCurveMetric implements Metric<[MetricInput, MetricInput], PrecisionRecallCurve> {
  /** Scores seen so far. */
  private readonly scores = new F64Buffer();
  /** Labels seen so far (0/1). */
  private readonly labels = new F64Buffer();

  /**
   * Adds a batch.
   * @param scores `[B]` scores.
   * @param labels `[B]` binary labels.
   */
  async update(scores: MetricInput, labels: MetricInput): Promise<void> {
    const { s, y } = await readBinary(`${this.constructor.name}.update`, scores, labels);
    this.scores.append(s);
    this.labels.append(y);
  }

  /** The curve over every sample seen. */
  compute(): PrecisionRecallCurve {
    return prCurve(this.scores.view(), this.labels.view());
  }

  /** Forgets every sample. */
  reset(): void {
    this.scores.clear();
    this.labels.clear();
  }
}
