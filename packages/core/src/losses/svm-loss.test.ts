import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { svmLoss, SVMLoss } from './svm-loss.js';

/** CS231n's naive loop: the obviously-correct reference, with its analytic gradient. */
function naive(s: number[][], y: number[], margin: number): { loss: number; grad: number[][] } {
  const grad = s.map((r) => r.map(() => 0));
  let loss = 0;
  s.forEach((row, i) => {
    row.forEach((sj, j) => {
      if (j === y[i]) return;
      const m = sj - row[y[i]!]! + margin;
      if (m > 0) {
        loss += m;
        grad[i]![j]! += 1;
        grad[i]![y[i]!]! -= 1;
      }
    });
  });
  return { loss: loss / s.length, grad: grad.map((r) => r.map((g) => g / s.length)) };
}

describe('svmLoss', () => {
  it('CS231n’s worked example (cat 2.9, car 0, frog 12.9)', () => tf.tidy(() => {
    const scores = tf.tensor2d([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    expectClose(svmLoss(scores, labels, { reduction: 'none' }), [2.9, 0, 12.9], { atol: 1e-5 });
    expectClose(svmLoss(scores, labels), (2.9 + 12.9) / 3, { atol: 1e-5 });
  }));
  it('matches the naive loop and its analytic gradient', () => tf.tidy(() => {
    const s = [[0.5, -1.2, 2.0, 0.1], [1.0, 1.5, -0.3, 0.2], [-2.0, 0.4, 0.3, 3.0], [0.0, 0.7, -1.1, 0.25], [2.2, -0.4, 1.9, 0.05]];
    const y = [2, 0, 3, 1, 0];
    for (const margin of [1, 0.5]) {
      const want = naive(s, y, margin);
      const scores = tf.tensor2d(s);
      const labels = tf.tensor1d(y, 'int32');
      expectClose(svmLoss(scores, labels, { margin }), want.loss, { atol: 1e-6 });
      expectClose(tf.grad((t: tf.Tensor) => svmLoss(t, labels, { margin }))(scores), want.grad, { atol: 1e-6 });
    }
  }));
  it('module and bad input', () => tf.tidy(() => {
    expectClose(new SVMLoss().forward(tf.zeros([2, 3]), tf.tensor1d([0, 1], 'int32')), 2);
    expect(() => svmLoss(tf.zeros([2, 3]), tf.tensor1d([0, 1, 2], 'int32'))).toThrow('svmLoss: labels must be shape [N] with N = 2, got shape [3]');
    expect(() => svmLoss(tf.zeros([2, 3]), tf.tensor1d([0, 1]))).toThrow('svmLoss: labels must be dtype int32, got dtype float32');
  }));
});
