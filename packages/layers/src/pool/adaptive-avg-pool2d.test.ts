import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { AdaptiveAvgPool2d, adaptiveAvgPool2d } from '../index.js';
import { rand } from '../../test/helpers.js';

function naive(x: Float32Array, h: number, w: number, oh: number, ow: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) {
      const [h0, h1] = [Math.floor((i * h) / oh), Math.ceil(((i + 1) * h) / oh)];
      const [w0, w1] = [Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow)];
      let s = 0;
      for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) s += x[a * w + b]!;
      out.push(s / ((h1 - h0) * (w1 - w0)));
    }
  return out;
}

describe('adaptiveAvgPool2d', () => {
  it('averages PyTorch bins, overlapping ones and outputs larger than the input included', () => {
    for (const [h, w, oh, ow] of [
      [7, 5, 3, 3],
      [6, 6, 4, 2],
      [3, 5, 5, 4],
      [8, 8, 2, 4],
      [5, 5, 1, 1],
    ] as const) {
      tf.tidy(() => {
        const x = rand([1, h, w, 1], h * 10 + w);
        expectClose(adaptiveAvgPool2d(x, [oh, ow]), naive(x.dataSync() as Float32Array, h, w, oh, ow), { atol: 1e-6, rtol: 1e-5 });
      });
    }
  });

  it('has the transposed map as gradient (each input gets the sum of its bins’ weights)', () => {
    tf.tidy(() => {
      const x = tf.ones([1, 3, 1, 1]);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(adaptiveAvgPool2d(v, [2, 1])))(x);
      // bins [0, 2) and [1, 3): the middle row is in both
      expectClose(dx, [0.5, 1, 0.5], { atol: 1e-6 });
    });
  });

  it('keeps a dim given as null, and the module validates its size', () => {
    tf.tidy(() => {
      expect(adaptiveAvgPool2d(tf.zeros([1, 6, 5, 2]), [3, null]).shape).toEqual([1, 3, 5, 2]);
    });
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(/outputSize/);
  });
});
