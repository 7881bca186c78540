import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber, describeValue } from '../validate/values.js';
import { Subset, type Dataset } from './dataset.js';

/** Options for {@link randomSplit} and {@link trainValTestSplit}. @category Data */
export interface SplitOptions {
  /** The generator that draws the permutation (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/**
 * Resolves split lengths given as counts (summing to `n`) or as fractions
 * (summing to 1), with PyTorch's rule for fractions: each gets `⌊n·f⌋` and the
 * remainder is dealt out one by one from the first split on.
 */
function resolveLengths(op: string, n: number, lengths: readonly number[]): number[] {
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new FoveaError({ op, arg: 'lengths', expected: 'a non-empty array of counts or fractions', got: describeValue(lengths) });
  }
  lengths.forEach((l, i) => checkNumber(op, `lengths[${i}]`, l, { min: 0 }));
  const sum = lengths.reduce((a, b) => a + b, 0);
  const counts = sum === n && lengths.every((l) => Number.isInteger(l));
  if (!counts && Math.abs(sum - 1) <= 1e-9) {
    const out = lengths.map((f) => Math.floor(n * f));
    const remainder = n - out.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) out[i % out.length]! += 1;
    return out;
  }
  if (!counts) {
    throw new FoveaError({ op, arg: 'lengths', expected: `counts summing to the dataset length ${n}, or fractions summing to 1`, got: `${describeValue(lengths)} (sum ${sum})` });
  }
  return [...lengths];
}

/**
 * Randomly partitions `0..n-1` into groups of the given sizes (the indices
 * behind {@link randomSplit}): one seeded permutation, cut into consecutive
 * pieces.
 *
 * @param n number of items.
 * @param lengths counts summing to `n`, or fractions summing to 1 (PyTorch's rule: `⌊n·f⌋` each, remainder dealt from the first).
 * @returns one `Int32Array` of indices per length.
 * @example
 * ```ts
 * import { randomSplitIndices, Generator } from '@fovea/core';
 * const [train, test] = randomSplitIndices(10, [0.8, 0.2], { generator: new Generator(0) });
 * train.length; // 8
 * test.length;  // 2
 * ```
 * @category Data
 */
export function randomSplitIndices(n: number, lengths: readonly number[], opts: SplitOptions = {}): Int32Array[] {
  checkNumber('randomSplitIndices', 'n', n, { integer: true, min: 0 });
  const sizes = resolveLengths('randomSplitIndices', n, lengths);
  const perm = (opts.generator ?? defaultGenerator()).permutation(n);
  const out: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    out.push(perm.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * Randomly splits a dataset into non-overlapping {@link Subset}s of the given
 * lengths (PyTorch's `torch.utils.data.random_split`, seeded by Fovea's
 * {@link Generator}).
 *
 * @param lengths counts summing to `dataset.length`, or fractions summing to 1.
 * @example
 * ```ts
 * import { randomSplit, Generator } from '@fovea/core';
 * const ds = { length: 100, get: (i: number) => i };
 * const [train, val] = randomSplit(ds, [0.9, 0.1], { generator: new Generator(42) });
 * train.length; // 90
 * ```
 * @category Data
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts: SplitOptions = {}): Subset<T>[] {
  const sizes = resolveLengths('randomSplit', dataset.length, lengths);
  return randomSplitIndices(dataset.length, sizes, opts).map((idx) => new Subset(dataset, idx));
}

/** Sizes of the validation and test parts for {@link trainValTestSplit}. @category Data */
export interface TrainValTestOptions extends SplitOptions {
  /** Validation part: a fraction in `[0, 1)` of the data or a count (default `0.1`). */
  val?: number;
  /** Test part: a fraction in `[0, 1)` of the data or a count (default `0.1`). */
  test?: number;
}

/** The three parts made by {@link trainValTestSplit}. @category Data */
export interface TrainValTest<T> {
  /** What is left after `val` and `test`. */
  train: T;
  /** The validation part, for choosing hyperparameters. */
  val: T;
  /** The test part, used once for the reported accuracy. */
  test: T;
}

function partSize(n: number, v: number, name: string): number {
  checkNumber('trainValTestSplit', name, v, { min: 0 });
  if (v < 1) return Math.round(n * v);
  checkNumber('trainValTestSplit', name, v, { integer: true, max: n });
  return v;
}

/**
 * Splits a dataset (or `0..n-1` when given a number) into train, validation
 * and test parts with one seeded permutation, cut in the order train, val,
 * test. Fractional sizes are rounded to whole items; train gets the rest.
 *
 * @param data a dataset, or a count `n` to split the indices `0..n-1`.
 * @returns {@link Subset}s of the dataset, or `Int32Array` index lists for a count.
 * @example
 * ```ts
 * import { trainValTestSplit, Generator } from '@fovea/core';
 * const { train, val, test } = trainValTestSplit(1000, { val: 0.1, test: 0.2, generator: new Generator(0) });
 * [train.length, val.length, test.length]; // [700, 100, 200]
 * ```
 * @category Data
 */
export function trainValTestSplit(data: number, opts?: TrainValTestOptions): TrainValTest<Int32Array>;
export function trainValTestSplit<T>(data: Dataset<T>, opts?: TrainValTestOptions): TrainValTest<Subset<T>>;
export function trainValTestSplit<T>(
  data: number | Dataset<T>,
  opts: TrainValTestOptions = {},
): TrainValTest<Int32Array> | TrainValTest<Subset<T>> {
  const n = typeof data === 'number' ? checkNumber('trainValTestSplit', 'data', data, { integer: true, min: 0 }) : data.length;
  const nVal = partSize(n, opts.val ?? 0.1, 'opts.val');
  const nTest = partSize(n, opts.test ?? 0.1, 'opts.test');
  if (nVal + nTest > n) {
    throw new FoveaError({ op: 'trainValTestSplit', arg: 'opts', expected: `val + test <= ${n} items`, got: `val ${nVal} + test ${nTest}` });
  }
  const [train, val, test] = randomSplitIndices(n, [n - nVal - nTest, nVal, nTest], opts) as [Int32Array, Int32Array, Int32Array];
  if (typeof data === 'number') return { train, val, test };
  return { train: new Subset(data, train), val: new Subset(data, val), test: new Subset(data, test) };
}
