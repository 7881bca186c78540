import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { maxout, Maxout } from './maxout.js';

describe('maxout', () => {
  it('takes the max of consecutive groups on the last axis', () => tf.tidy(() => {
    const x = tf.tensor2d([[1, -2, 3, 5, 0, -1], [-1, -3, 2, 2, 9, 8]]); // [2, 6]
    expectClose(maxout(x, 2), [[1, 5, 0], [-1, 2, 9]]);
    expectClose(maxout(x, 3), [[3, 5], [2, 9]]);
    expectClose(maxout(x, 1), x);
  }));
  it('works on another axis and routes the gradient to each group’s maximum', () => tf.tidy(() => {
    const x = tf.tensor3d([[[1], [4]], [[3], [2]]]); // [2, 2, 1]
    expectClose(maxout(x, 2, { axis: 1 }), tf.tensor3d([[[4]], [[3]]]));
    const g = tf.grad((t: tf.Tensor) => tf.sum(maxout(t, 2, { axis: 1 })))(x);
    expectClose(g, tf.tensor3d([[[0], [1]], [[1], [0]]]));
  }));
  it('relu is maxout over (x, 0)', () => tf.tidy(() => {
    const x = tf.tensor1d([-2, 3]);
    const pairs = tf.reshape(tf.stack([x, tf.zerosLike(x)], 1), [1, 4]); // [1, 2·2]
    expectClose(maxout(pairs, 2), [[0, 3]]);
  }));
  it('module and bad input', () => {
    tf.tidy(() => {
      expect(new Maxout({ pieces: 3 }).forward(tf.zeros([8, 30])).shape).toEqual([8, 10]);
    });
    tf.tidy(() => {
      expect(() => maxout(tf.zeros([2, 5]), 2)).toThrow('maxout: x must be a size divisible by pieces = 2 on axis 1, got shape [2, 5]');
    });
    expect(() => new Maxout({ pieces: 0 })).toThrow('Maxout: options.pieces must be an integer >= 1, got 0');
  });
});
