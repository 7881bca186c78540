/**
 * The streaming interface every metric class implements: feed batches with
 * `update(...)`, read the result with `compute()` at any time, start over
 * with `reset()`. State is kept in compact typed arrays (counts, sums or the
 * few values a metric needs), so an evaluation never holds the dataset's
 * tensors: `update` reads its inputs (`await t.data()`) and does not keep or
 * dispose them.
 *
 * `update` is async because it reads tensors; await it before the next call
 * (or collect the promises and await them all before `compute()`).
 *
 * @typeParam TArgs the arguments of `update`, e.g. `[preds, targets]`.
 * @typeParam TResult what `compute()` returns.
 * @example
 * ```ts
 * import { Accuracy, type Metric } from '@fovea/metrics';
 * const acc: Metric<[number[], number[]], number> = new Accuracy();
 * await acc.update([0, 1], [0, 0]);
 * await acc.update([2, 2], [2, 2]);
 * acc.compute(); // 0.75
 * acc.reset();
 * ```
 * @category Types
 */
export interface Metric<TArgs extends unknown[], TResult> {
  /** Adds one batch to the running state. */
  update(...args: TArgs): Promise<void>;
  /** The metric over everything seen since construction or the last `reset()`. */
  compute(): TResult;
  /** Forgets everything seen. */
  reset(): void;
}
