import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { kFold } from '../data/k-fold.js';
import type { Generator } from '../random/generator.js';
import { checkNumber, checkOneOf } from '../validate/values.js';
import { buildIndex, disposeIndex, searchNeighbors, vote, type KNNMetric } from './_neighbors.js';
import { checkTrainingSet, readLabels } from './knn.js';

/** Options for {@link crossValidateKnn}. @category Classifiers */
export interface CrossValidateKnnOptions {
  /** Candidate k values; default CS231n's `[1, 3, 5, 8, 10, 12, 15, 20, 50, 100]` (those ≤ the smallest training fold). */
  ks?: number[];
  /** Number of folds, ≥ 2; default 5. */
  folds?: number;
  /** Distance metric; default `'l2'`. */
  metric?: KNNMetric;
  /** Shuffle before cutting folds (see {@link kFold}); default `false` (consecutive folds, as CS231n's `array_split`). */
  shuffle?: boolean;
  /** Generator for `shuffle`; default the default generator. */
  generator?: Generator;
  /** Test rows per distance batch; default automatic. */
  batchSize?: number;
  /** Called after each fold with `(foldsDone, folds)`. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link crossValidateKnn} found. @category Classifiers */
export interface CrossValidateKnnResult {
  /** The k with the highest mean validation accuracy (the smallest on ties). */
  bestK: number;
  /** The candidates, in the order given. */
  ks: number[];
  /** `[ks.length][folds]` validation accuracy of each k on each fold. */
  foldAccuracies: number[][];
  /** `[ks.length]` mean over the folds. */
  meanAccuracy: number[];
}

const DEFAULT_KS = [1, 3, 5, 8, 10, 12, 15, 20, 50, 100];

/**
 * Chooses kNN's k by k-fold cross-validation (CS231n's assignment 1): for each
 * fold, train on the other folds, find every validation row's `max(ks)` nearest
 * neighbours **once**, and score every candidate k from that sorted list (votes
 * tie → smallest label, as {@link KNNClassifier}). Folds come from {@link kFold}.
 *
 * @param x float32 `[N, D]` training rows.
 * @param y int32 `[N]` labels `0..K-1`.
 * @param opts `ks`, `folds` (default 5), `metric`, `shuffle`, `generator`, `batchSize`, `onProgress`.
 * @returns `{ bestK, ks, foldAccuracies, meanAccuracy }`.
 * @example
 * ```ts
 * import { crossValidateKnn, randn, randint } from '@fovea/core';
 * const x = randn([200, 8]);
 * const y = randint(0, 3, [200]);
 * const { bestK, meanAccuracy } = await crossValidateKnn(x, y, { ks: [1, 3, 5], folds: 5 });
 * console.log(bestK, meanAccuracy); // e.g. 5 [0.33, 0.35, 0.36]
 * x.dispose(); y.dispose();
 * ```
 * @category Classifiers
 */
export async function crossValidateKnn(x: tf.Tensor, y: tf.Tensor, opts: CrossValidateKnnOptions = {}): Promise<CrossValidateKnnResult> {
  const op = 'crossValidateKnn';
  checkTrainingSet(op, x, y);
  const n = x.shape[0]!;
  const nFolds = checkNumber(op, 'options.folds', opts.folds ?? 5, { integer: true, min: 2 });
  if (n < nFolds) throw new FoveaError({ op, arg: 'x', expected: `at least folds = ${nFolds} rows`, got: `${n} rows` });
  const metric = checkOneOf(op, 'options.metric', opts.metric ?? 'l2', ['l2', 'l1'] as const);
  const batchSize = checkNumber(op, 'options.batchSize', opts.batchSize ?? 0, { integer: true, min: 0 });
  const minTrain = n - Math.ceil(n / nFolds);
  const ks = opts.ks ? opts.ks.map((k, i) => checkNumber(op, `options.ks[${i}]`, k, { integer: true, min: 1, max: minTrain })) : DEFAULT_KS.filter((k) => k <= minTrain);
  if (ks.length === 0) throw new FoveaError({ op, arg: 'options.ks', expected: 'at least one candidate k', got: '[]' });
  const { labels, numClasses } = await readLabels(op, y);
  const maxK = Math.max(...ks);
  const folds = kFold(n, nFolds, { shuffle: opts.shuffle ?? false, ...(opts.generator ? { generator: opts.generator } : {}) });
  const foldAccuracies = ks.map(() => [] as number[]);
  for (let f = 0; f < folds.length; f++) {
    const { train, val } = folds[f]!;
    const trainLabels = Int32Array.from(train, (i) => labels[i]!);
    const trainX = tf.tidy(() => tf.gather(x, tf.tensor1d(train, 'int32'))); // [N - nVal, D]
    const index = await buildIndex(trainX, metric, maxK);
    trainX.dispose();
    const valX = tf.tidy(() => tf.gather(x, tf.tensor1d(val, 'int32')));
    try {
      const nb = await searchNeighbors(index, valX, maxK, batchSize);
      ks.forEach((k, i) => {
        const pred = vote(nb.indices, maxK, k, trainLabels, numClasses);
        let right = 0;
        pred.forEach((p, r) => (right += p === labels[val[r]!] ? 1 : 0));
        foldAccuracies[i]!.push(val.length ? right / val.length : 0);
      });
    } finally {
      disposeIndex(index);
      valX.dispose();
    }
    opts.onProgress?.(f + 1, folds.length);
  }
  const meanAccuracy = foldAccuracies.map((a) => a.reduce((s, v) => s + v, 0) / a.length);
  let best = 0;
  meanAccuracy.forEach((m, i) => {
    if (m > meanAccuracy[best]! || (m === meanAccuracy[best]! && ks[i]! < ks[best]!)) best = i;
  });
  return { bestK: ks[best]!, ks, foldAccuracies, meanAccuracy };
}
