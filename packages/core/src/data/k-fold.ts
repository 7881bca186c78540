import { checkNumber } from '../validate/values.js';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';

/** Options for {@link kFold}. @category Data */
export interface KFoldOptions {
  /** Shuffle the indices once before cutting them into folds (default `false`, like scikit-learn's `KFold`). */
  shuffle?: boolean;
  /** The generator used when `shuffle` is set (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** One cross-validation split: the rows to train on and the rows to validate on. @category Data */
export interface Fold {
  /** `[n - nVal]` training indices, in increasing order of position in the (shuffled) index list. */
  train: Int32Array;
  /** `[nVal]` validation indices of this fold. */
  val: Int32Array;
}

/**
 * K-fold cross-validation indices for `n` items, as scikit-learn's
 * `KFold(n_splits=k)`: the (optionally shuffled) indices `0..n-1` are cut into
 * `k` consecutive folds, the first `n % k` of size `⌊n/k⌋ + 1` and the rest of
 * size `⌊n/k⌋`; fold `i` validates on its own indices and trains on all the
 * others. Without `shuffle` the folds equal scikit-learn's exactly; with it the
 * permutation comes from Fovea's seeded {@link Generator}.
 *
 * @param n number of items (an integer ≥ `k`).
 * @param k number of folds (an integer ≥ 2).
 * @returns `k` {@link Fold}s whose `val` parts partition `0..n-1`.
 * @example
 * ```ts
 * import { kFold } from '@fovea/core';
 * const folds = kFold(5, 2);
 * folds[0].val;   // Int32Array [0, 1, 2]
 * folds[0].train; // Int32Array [3, 4]
 * folds[1].val;   // Int32Array [3, 4]
 * ```
 * @category Data
 */
export function kFold(n: number, k: number, opts: KFoldOptions = {}): Fold[] {
  checkNumber('kFold', 'k', k, { integer: true, min: 2 });
  checkNumber('kFold', 'n', n, { integer: true, min: 0 });
  if (k > n) {
    throw new FoveaError({ op: 'kFold', arg: 'n', expected: `at least k = ${k} items (one per fold)`, got: String(n) });
  }
  let order: Int32Array;
  if (opts.shuffle) {
    order = (opts.generator ?? defaultGenerator()).permutation(n);
  } else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  const base = Math.floor(n / k);
  const extra = n % k;
  const folds: Fold[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    const stop = start + size;
    const train = new Int32Array(n - size);
    train.set(order.subarray(0, start), 0);
    train.set(order.subarray(stop), start);
    folds.push({ train, val: order.slice(start, stop) });
    start = stop;
  }
  return folds;
}
