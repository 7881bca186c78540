import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BedOfNailsUnpool, bedOfNailsUnpool } from '../index.js';

describe('bedOfNailsUnpool', () => {
  it('puts each pixel at the top-left of its block; the gradient reads the nails', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const y = bedOfNailsUnpool(x, 3);
      expect(y.shape).toEqual([1, 6, 6, 1]);
      const ys = y.dataSync();
      expect([ys[0], ys[3], ys[18], ys[21]]).toEqual([1, 2, 3, 4]);
      expect(Array.from(ys).filter((v) => v !== 0).length).toBe(4);
      const seed = tf.reshape(tf.range(0, 36), [1, 6, 6, 1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(bedOfNailsUnpool(v, 3), seed)))(x);
      expect(Array.from(g.dataSync())).toEqual([0, 3, 18, 21]);
    });
  });

  it('validates the scale', () => {
    expect(() => new BedOfNailsUnpool(1.5)).toThrow(/scale/);
  });
});
