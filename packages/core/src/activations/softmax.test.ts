import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { softmax, Softmax } from './softmax.js';
import { logSoftmax, LogSoftmax } from './log-softmax.js';

type Fx = { name: string; dim: number; x: JsonTensor; y: JsonTensor; dy: JsonTensor; dx: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_activations.json', import.meta.url), 'utf8')) as { softmax: Fx[] };

describe('softmax / logSoftmax', () => {
  for (const c of fx.softmax) {
    it(`${c.name} over dim ${c.dim} of ${JSON.stringify(c.x.shape)} matches PyTorch (value and gradient)`, () => tf.tidy(() => {
      const fn = c.name === 'softmax' ? softmax : logSoftmax;
      const [x, dy] = [fromJson(c.x), fromJson(c.dy)];
      expectClose(fn(x, c.dim), fromJson(c.y), { atol: 1e-5, rtol: 1e-4 });
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fn(t, c.dim), dy)))(x);
      expectClose(g, fromJson(c.dx), { atol: 1e-5, rtol: 1e-4 });
    }));
  }
  it('is stable for huge logits and handles empty tensors', () => tf.tidy(() => {
    expectClose(softmax(tf.tensor2d([[1000, 1000, -1000]])), [[0.5, 0.5, 0]]);
    expectClose(logSoftmax(tf.tensor2d([[0, 200]])), [[-200, 0]]);
    expect(softmax(tf.zeros([0, 4])).shape).toEqual([0, 4]);
  }));
  it('modules and bad dims', () => tf.tidy(() => {
    expectClose(new Softmax({ dim: 0 }).forward(tf.zeros([4, 1])), [[0.25], [0.25], [0.25], [0.25]]);
    expectClose(new LogSoftmax().forward(tf.zeros([1, 2])), [[-Math.LN2, -Math.LN2]]);
    expect(() => softmax(tf.zeros([2, 3]), 2)).toThrow('softmax: dim must be an integer >= -2 <= 1, got 2');
    expect(() => logSoftmax(tf.scalar(1))).toThrow('logSoftmax: x must be rank >= 1, got a scalar (rank 0)');
  }));
});
