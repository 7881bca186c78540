import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fromJson, type JsonTensor } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { crossValidateKnn } from './cross-validate-knn.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_classifiers.json', import.meta.url), 'utf8')) as {
  cv: { x: JsonTensor; y: JsonTensor; ks: number[]; fold_accuracies: number[][] };
};

describe('crossValidateKnn', () => {
  it('reproduces CS231n-style 5-fold accuracies (numpy reference) and picks the best k', async () => {
    const [x, y] = [fromJson(fx.cv.x), fromJson(fx.cv.y)];
    const progress: number[] = [];
    const r = await crossValidateKnn(x, y, { ks: fx.cv.ks, folds: 5, onProgress: (d) => progress.push(d) });
    expect(r.ks).toEqual(fx.cv.ks);
    r.foldAccuracies.forEach((row, i) => row.forEach((a, f) => expect(a).toBeCloseTo(fx.cv.fold_accuracies[i]![f]!, 10)));
    const means = fx.cv.fold_accuracies.map((row) => row.reduce((s, v) => s + v, 0) / row.length);
    const best = fx.cv.ks[means.indexOf(Math.max(...means))];
    expect(r.bestK).toBe(best);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    tf.dispose([x, y]);
  });

  it('defaults to CS231n’s k choices that fit, and shuffles reproducibly', async () => {
    const x = tf.tidy(() => tf.concat([tf.zeros([10, 2]), tf.ones([10, 2])]));
    const y = tf.tensor1d([...Array(10).fill(0), ...Array(10).fill(1)], 'int32');
    const a = await crossValidateKnn(x, y, { folds: 4, shuffle: true, generator: new Generator(3) });
    const b = await crossValidateKnn(x, y, { folds: 4, shuffle: true, generator: new Generator(3) });
    expect(a.ks).toEqual([1, 3, 5, 8, 10, 12, 15]); // training folds have 15 rows
    expect(a.foldAccuracies).toEqual(b.foldAccuracies);
    expect(a.meanAccuracy[0]).toBe(1);
    expect(a.bestK).toBe(1); // ties → the smallest k
    tf.dispose([x, y]);
  });

  it('rejects bad options', async () => {
    const x = tf.zeros([6, 2]);
    const y = tf.tensor1d([0, 1, 0, 1, 0, 1], 'int32');
    await expect(crossValidateKnn(x, y, { folds: 7 })).rejects.toThrow('crossValidateKnn: x must be at least folds = 7 rows, got 6 rows');
    await expect(crossValidateKnn(x, y, { ks: [1, 9] })).rejects.toThrow('crossValidateKnn: options.ks[1] must be an integer >= 1 <= 4, got 9');
    tf.dispose([x, y]);
  });
});
