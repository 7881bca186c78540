import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { PixelShuffle, pixelShuffle, pixelUnshuffle } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('pixelShuffle', () => {
  it("uses PyTorch's channel order y[c, h·r+i, w·r+j] = x[c·r² + i·r + j, h, w]", () => {
    tf.tidy(() => {
      const r = 2;
      const nchw = tf.reshape(tf.range(0, 2 * 4 * 2 * 3), [1, 8, 2, 3]); // [N, C·r², H, W]
      const y = nhwcToNchw(pixelShuffle(nchwToNhwc(nchw), r)); // [1, 2, 4, 6]
      const xs = nchw.dataSync();
      const ys = y.dataSync();
      for (let c = 0; c < 2; c++)
        for (let h = 0; h < 2; h++)
          for (let w = 0; w < 3; w++)
            for (let i = 0; i < r; i++)
              for (let j = 0; j < r; j++) expect(ys[(c * 4 + h * r + i) * 6 + w * r + j]).toBe(xs[((c * r * r + i * r + j) * 2 + h) * 3 + w]);
    });
  });

  it('pixelUnshuffle inverts it; the gradient is the inverse permutation', () => {
    tf.tidy(() => {
      const x = rand([2, 3, 4, 18], 1);
      expectClose(pixelUnshuffle(pixelShuffle(x, 3), 3), x, { atol: 0 });
      const seed = rand([2, 9, 12, 2], 2);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(v, 3), seed)))(x);
      expectClose(g, pixelUnshuffle(seed, 3), { atol: 0 });
    });
  });

  it('rejects channels not divisible by r²', () => {
    tf.tidy(() => {
      expect(() => pixelShuffle(tf.zeros([1, 2, 2, 6]), 2)).toThrow(/divisible by upscaleFactor² = 4, got 6 channels/);
      expect(() => new PixelShuffle(0)).toThrow(/upscaleFactor/);
    });
  });
});
