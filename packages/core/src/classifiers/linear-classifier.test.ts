import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { crossEntropy } from '../losses/cross-entropy.js';
import { svmLoss } from '../losses/svm-loss.js';
import { Generator } from '../random/generator.js';
import { randn } from '../random/sampling.js';
import { LinearClassifier } from './linear-classifier.js';

/** Three well-separated Gaussian blobs in 5-D, `[3n, 5]` with labels. */
function blobs(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const g = new Generator(seed);
    const centers = tf.tensor2d([[3, 0, 0, 1, -1], [0, 3, 0, -1, 1], [0, 0, 3, 1, 1]]);
    const labels = Array.from({ length: 3 * n }, (_, i) => i % 3);
    const y = tf.tensor1d(labels, 'int32');
    const x = tf.add(tf.gather(centers, y), randn([3 * n, 5], { generator: g }));
    return { x, y };
  });
}

describe('LinearClassifier', () => {
  for (const loss of ['softmax', 'svm'] as const) {
    it(`learns separable blobs with the ${loss} loss (held-out accuracy > 0.9, loss decreasing)`, async () => {
      const train = blobs(100, 1);
      const test = blobs(50, 2);
      const clf = new LinearClassifier({ numFeatures: 5, numClasses: 3, loss, reg: 1e-3, generator: new Generator(0) });
      const epochsSeen: number[] = [];
      const { lossHistory } = await clf.fit(train.x, train.y, { epochs: 30, batchSize: 50, learningRate: 0.05, onEpoch: (e) => void epochsSeen.push(e.epoch) });
      expect(lossHistory).toHaveLength(30 * 6);
      expect(epochsSeen).toHaveLength(30);
      expect(lossHistory.at(-1)!).toBeLessThan(lossHistory[0]! / 3);
      expect(await clf.score(test.x, test.y)).toBeGreaterThan(0.9);
      tf.dispose([train.x, train.y, test.x, test.y]);
      clf.dispose();
    });
  }

  it('its loss is the data loss plus reg · ΣW², and one SGD step follows the gradient', async () => {
    const clf = new LinearClassifier({ numFeatures: 2, numClasses: 3, loss: 'svm', reg: 0.1, generator: new Generator(4) });
    const x = tf.tensor2d([[1, 2], [-1, 0.5]]);
    const y = tf.tensor1d([2, 0], 'int32');
    tf.tidy(() => {
      const want = tf.add(svmLoss(clf.forward(x), y), tf.mul(tf.sum(tf.square(clf.weight)), 0.1));
      expectClose(clf.loss(x, y), want, { atol: 1e-6 });
    });
    const w0 = tf.clone(clf.weight);
    const g = tf.tidy(() => tf.variableGrads(() => clf.loss(x, y), [clf.weight]).grads[clf.weight.name]!);
    await clf.fit(x, y, { epochs: 1, batchSize: 2, learningRate: 0.5 });
    tf.tidy(() => expectClose(clf.weight, tf.sub(w0, tf.mul(g, 0.5)), { atol: 1e-6 }));
    const soft = new LinearClassifier({ numFeatures: 2, numClasses: 3, reg: 0 });
    tf.tidy(() => expectClose(soft.loss(x, y), crossEntropy(soft.forward(x), y), { atol: 1e-6 }));
    tf.dispose([x, y, w0, g]);
    clf.dispose();
    soft.dispose();
  });

  it('weights are [D, K] templates and the state dict is nn.Linear(D, K)’s', () => {
    const clf = new LinearClassifier({ numFeatures: 784, numClasses: 10, generator: new Generator(0) });
    expect(clf.weights.shape).toEqual([784, 10]);
    const sd = clf.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight!.shape).toEqual([10, 784]);
    tf.dispose(Object.values(sd));
    const std = tf.tidy(() => tf.moments(clf.weights).variance.dataSync()[0]!);
    expect(Math.sqrt(std)).toBeCloseTo(0.001, 4);
    clf.dispose();
  });

  it('rejects bad input and a diverging learning rate', async () => {
    expect(() => new LinearClassifier({ numFeatures: 3, numClasses: 1 })).toThrow('LinearClassifier: options.numClasses must be an integer >= 2, got 1');
    const clf = new LinearClassifier({ numFeatures: 3, numClasses: 2 });
    const x = tf.zeros([4, 2]);
    expect(() => clf.predict(x)).toThrow('LinearClassifier.forward: x must be shape [*, 3], got shape [4, 2]');
    const big = tf.tensor2d([[1e20, -1e20, 1e20], [-1e20, 1e20, 1e20]]);
    const y = tf.tensor1d([0, 1], 'int32');
    await expect(clf.fit(big, y, { epochs: 3, learningRate: 1e30 })).rejects.toThrow('LinearClassifier.fit: options.learningRate must be a step size that keeps the loss finite');
    tf.dispose([x, big, y]);
    clf.dispose();
  });
});
