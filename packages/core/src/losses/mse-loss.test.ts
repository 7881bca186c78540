import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { mseLoss, MSELoss } from './mse-loss.js';

describe('mseLoss', () => {
  it('reduces (x - t)² by mean, sum or not at all, with gradients 2(x - t)/n', () => tf.tidy(() => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const t = tf.tensor2d([[1, 0], [0, 4]]);
    expectClose(mseLoss(x, t), 13 / 4);
    expectClose(mseLoss(x, t, { reduction: 'sum' }), 13);
    expectClose(mseLoss(x, t, { reduction: 'none' }), [[0, 4], [9, 0]]);
    const [gx, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => mseLoss(a, b))([x, t]);
    expectClose(gx!, [[0, 1], [1.5, 0]]);
    expectClose(gt!, [[0, -1], [-1.5, 0]]);
  }));
  it('module', () => tf.tidy(() => expectClose(new MSELoss({ reduction: 'sum' }).forward(tf.tensor1d([0, 0]), tf.tensor1d([1, 2])), 5)));
  it('never broadcasts', () => tf.tidy(() => {
    expect(() => mseLoss(tf.zeros([4, 3]), tf.zeros([3, 4]))).toThrow('mseLoss: target must be the shape of input [4, 3], got shape [3, 4]');
    expect(() => mseLoss(tf.zeros([4, 3]), tf.zeros([3]))).toThrow('mseLoss: target must be the shape of input [4, 3], got shape [3]');
  }));
});
