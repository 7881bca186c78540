/** Distances, kNN and the linear classifier on every backend lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { KNNClassifier } from './knn.js';
import { LinearClassifier } from './linear-classifier.js';
import { squaredEuclideanDistance } from './squared-euclidean-distance.js';

describe('classifiers (all backends)', () => {
  it('distances and kNN (l2 and l1, with kneighbors)', async () => {
    const [a, b] = [tf.tensor2d([[0, 0], [1, 1]]), tf.tensor2d([[3, 4]])];
    const d = squaredEuclideanDistance(a, b);
    expect(Array.from(await d.data())).toEqual([25, 13]);
    tf.dispose([a, b, d]);
    const tx = tf.tensor2d([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5]]);
    const ty = tf.tensor1d([0, 0, 0, 1, 1, 1], 'int32');
    const q = tf.tensor2d([[0.2, 0.2], [5.5, 5.4], [4, 4]]);
    for (const metric of ['l2', 'l1'] as const) {
      const knn = await new KNNClassifier({ k: 3, metric }).fit(tx, ty);
      const pred = await knn.predict(q);
      expect(Array.from(await pred.data())).toEqual([0, 1, 1]);
      const { distances, indices } = await knn.kneighbors(q, 1);
      expect(Array.from(await indices.data())).toEqual([0, 3, 3]);
      const want = metric === 'l2' ? [Math.SQRT2 * 0.2, Math.hypot(0.5, 0.4), Math.SQRT2] : [0.4, 0.9, 2];
      Array.from(await distances.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      tf.dispose([pred, distances, indices]);
      knn.dispose();
    }
    tf.dispose([tx, ty, q]);
  });

  it('linear classifier trains a step and predicts', async () => {
    const clf = new LinearClassifier({ numFeatures: 2, numClasses: 2, generator: new Generator(0) });
    const x = tf.tensor2d([[1, 0], [2, 0], [0, 1], [0, 2]]);
    const y = tf.tensor1d([0, 0, 1, 1], 'int32');
    const { lossHistory } = await clf.fit(x, y, { epochs: 50, batchSize: 4, learningRate: 0.5 });
    expect(lossHistory.at(-1)!).toBeLessThan(lossHistory[0]!);
    const pred = clf.predict(x);
    expect(Array.from(await pred.data())).toEqual([0, 0, 1, 1]);
    tf.dispose([x, y, pred]);
    clf.dispose();
  });
});
