import { checkNumber, FoveaError, formatShape } from '@fovea/core';
import { checkLabelRange, readInput, type Flat, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link accuracy} and {@link Accuracy}. @category Classification */
export interface AccuracyOptions {
  /**
   * With `[N, C]` scores: a sample counts as correct when its target is among
   * its `topK` highest scores. Default 1 (the arg-max, first index on ties).
   */
  topK?: number;
}

/** Correct and total counts of one batch. */
async function counts(op: string, preds: MetricInput, targets: MetricInput, topK: number): Promise<[number, number]> {
  const p = await readInput(op, 'preds', preds, { rank: [1, 2], kind: 'float' });
  const t = await readInput(op, 'targets', targets, { rank: 1, kind: 'int' });
  const n = t.shape[0]!;
  if (p.shape[0] !== n) {
    throw new FoveaError({ op, arg: 'targets', expected: `length ${p.shape[0]} (the number of rows of preds)`, got: `shape ${formatShape(t.shape)}` });
  }
  if (p.shape.length === 1) return [labelHits(op, p, t), n];
  const c = p.shape[1]!;
  checkLabelRange(op, 'targets', t, c);
  return [topK === 1 ? argmaxHits(p.data, t.data, n, c) : topKHits(p.data, t.data, n, c, topK), n];
}

function labelHits(op: string, p: Flat, t: Flat): number {
  for (let i = 0; i < p.data.length; i++) {
    if (!Number.isInteger(p.data[i]!)) {
      throw new FoveaError({ op, arg: 'preds', expected: 'integer labels [N] or scores [N, C]', got: `${p.data[i]} at index ${i}` });
    }
  }
  let hits = 0;
  for (let i = 0; i < t.data.length; i++) if (p.data[i] === t.data[i]) hits++;
  return hits;
}

/** sklearn `accuracy_score(y, argmax(scores, 1))`: the first maximum wins. */
function argmaxHits(s: ArrayLike<number>, t: ArrayLike<number>, n: number, c: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (s[i * c + j]! > s[i * c + best]!) best = j;
    if (best === t[i]) hits++;
  }
  return hits;
}

/**
 * sklearn `top_k_accuracy_score`: classes ranked by descending score, ties
 * ranked by descending class index (its reversed stable argsort).
 */
function topKHits(s: ArrayLike<number>, t: ArrayLike<number>, n: number, c: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const y = t[i]!;
    const sy = s[i * c + y]!;
    let ahead = 0;
    for (let j = 0; j < c; j++) {
      const v = s[i * c + j]!;
      if (v > sy || (v === sy && j > y)) ahead++;
    }
    if (ahead < k) hits++;
  }
  return hits;
}

function checkTopK(op: string, opts: AccuracyOptions): number {
  return checkNumber(op, 'options.topK', opts.topK ?? 1, { integer: true, min: 1 });
}

/**
 * Classification accuracy (scikit-learn's `accuracy_score` /
 * `top_k_accuracy_score`): the fraction of samples whose predicted label
 * equals the target, or whose target is among the `topK` highest scores.
 *
 * @param preds `[N]` integer labels, or `[N, C]` scores (logits or probabilities).
 * @param targets `[N]` integer labels in `[0, C)`.
 * @param opts see {@link AccuracyOptions}.
 * @returns the accuracy in `[0, 1]`; `NaN` for `N = 0`.
 * @example
 * ```ts
 * import { accuracy } from '@fovea/metrics';
 * await accuracy([0, 2, 1, 1], [0, 1, 1, 1]);                          // 0.75
 * await accuracy([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]], [2, 0], { topK: 2 }); // 1
 * ```
 * @category Classification
 */
export async function accuracy(preds: MetricInput, targets: MetricInput, opts: AccuracyOptions = {}): Promise<number> {
  const [hits, n] = await counts('accuracy', preds, targets, checkTopK('accuracy', opts));
  return hits / n;
}

/**
 * Streaming {@link accuracy}: counts correct samples over batches.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Accuracy } from '@fovea/metrics';
 * const acc = new Accuracy({ topK: 1 });
 * await acc.update(tf.tensor2d([[2, 1], [0, 3]]), tf.tensor1d([0, 0], 'int32'));
 * await acc.update([1], [1]);
 * acc.compute(); // 0.666…
 * ```
 * @category Classification
 */
export class Accuracy implements Metric<[MetricInput, MetricInput], number> {
  /** The `topK` in use. */
  readonly topK: number;
  private hits = 0;
  private total = 0;

  constructor(opts: AccuracyOptions = {}) {
    this.topK = checkTopK('Accuracy', opts);
  }

  /**
   * Adds a batch.
   * @param preds `[B]` labels or `[B, C]` scores.
   * @param targets `[B]` labels.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    const [h, n] = await counts('Accuracy.update', preds, targets, this.topK);
    this.hits += h;
    this.total += n;
  }

  /** Accuracy over every sample seen; `NaN` before any. */
  compute(): number {
    return this.hits / this.total;
  }

  /** Forgets every sample. */
  reset(): void {
    this.hits = 0;
    this.total = 0;
  }
}
