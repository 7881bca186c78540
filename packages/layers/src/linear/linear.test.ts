import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Linear, linear } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('linear', () => {
  it('computes x·W + b over the last dim for any leading dims', () => {
    tf.tidy(() => {
      const x = rand([2, 3, 4], 1);
      const w = rand([4, 5], 2);
      const b = rand([5], 3);
      const y = linear(x, w, b);
      expect(y.shape).toEqual([2, 3, 5]);
      expectClose(y, tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), w), [2, 3, 5]), b), { atol: 1e-6 });
    });
  });

  it('has the gradients of a matrix product', () => {
    tf.tidy(() => {
      const x = rand([3, 4], 1);
      const w = rand([4, 2], 2);
      const seed = rand([3, 2], 3);
      const [gx, gw, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(linear(a, b, c), seed)))([x, w, tf.zeros([2])]);
      expectClose(gx!, tf.matMul(seed, w, false, true), { atol: 1e-6 });
      expectClose(gw!, tf.matMul(x, seed, true, false), { atol: 1e-6 });
      expectClose(gb!, tf.sum(seed, 0), { atol: 1e-6 });
    });
  });

  it('rejects a feature mismatch and handles zero rows', () => {
    tf.tidy(() => {
      expect(() => linear(tf.zeros([2, 5]), tf.zeros([4, 3]))).toThrow(/linear: x must be \[\.\.\., 4\]/);
      expect(linear(tf.zeros([0, 4]), tf.ones([4, 3]), tf.ones([3])).shape).toEqual([0, 3]);
    });
  });
});

describe('Linear', () => {
  it("stores [in, out], exposes PyTorch's [out, in] and U(±1/√in) init, seeded", () => {
    const fc = new Linear(16, 4, { generator: new Generator(1) });
    tf.tidy(() => {
      const sd = fc.stateDict();
      expect(sd['weight']!.shape).toEqual([4, 16]);
      expect(Math.max(...Array.from(sd['weight']!.dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(fc.forward(tf.zeros([3, 16])).shape).toEqual([3, 4]);
    });
    const nb = new Linear(3, 2, { bias: false });
    expect(nb.bias).toBeNull();
    fc.dispose();
    nb.dispose();
  });
});
