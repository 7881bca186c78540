import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { Dropout, Dropout2d, dropout, dropout2d } from '../index.js';

describe('dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1-p); a seed reproduces the mask', () => {
    tf.tidy(() => {
      const x = tf.ones([100, 100]);
      const y = dropout(x, { p: 0.3, generator: new Generator(5) }).dataSync();
      const zeros = Array.from(y).filter((v) => v === 0).length;
      expect(Math.abs(zeros / 1e4 - 0.3)).toBeLessThan(0.02);
      expect(Array.from(y).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
      expect(Array.from(dropout(x, { p: 0.3, generator: new Generator(5) }).dataSync())).toEqual(Array.from(y));
    });
  });

  it('is the identity in eval mode or with p = 0, zero with p = 1; the gradient uses the same mask', () => {
    tf.tidy(() => {
      const x = tf.ones([4, 4]);
      expect(Array.from(dropout(x, { p: 0.5, training: false }).dataSync())).toEqual(new Array(16).fill(1));
      expect(Array.from(dropout(x, { p: 1 }).dataSync())).toEqual(new Array(16).fill(0));
      const g = new Generator(2);
      const state = g.getState();
      const y = dropout(x, { p: 0.5, generator: g }).dataSync();
      g.setState(state);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(dropout(v, { p: 0.5, generator: g })))(x).dataSync();
      expect(Array.from(dx)).toEqual(Array.from(y));
      expect(() => dropout(x, { p: 1.5 })).toThrow(/options.p must be/);
    });
  });

  it('dropout2d drops whole channels; the modules follow train()/eval()', () => {
    const d = new Dropout2d(0.5, { generator: new Generator(1) });
    const plain = new Dropout(0.5);
    tf.tidy(() => {
      const y = dropout2d(tf.ones([2, 3, 3, 8]), { p: 0.5, generator: new Generator(3) });
      const perChannel = tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [16, 9]).arraySync() as number[][];
      for (const row of perChannel) expect(new Set(row).size).toBe(1);
      expect(d.forward(tf.ones([1, 2, 2, 4])).shape).toEqual([1, 2, 2, 4]);
      d.eval();
      plain.eval();
      expect(Array.from(d.forward(tf.ones([1, 2, 2, 1])).dataSync())).toEqual([1, 1, 1, 1]);
      expect(Array.from(plain.forward(tf.ones([3])).dataSync())).toEqual([1, 1, 1]);
    });
  });
});
