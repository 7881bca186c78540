import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { MaxPool2d, maxPool2d, maxPool2dWithIndices } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

describe('maxPool2d', () => {
  it('matches PyTorch (dilation, ceil mode, padding, ties), indices and gradients included', () => {
    for (const c of fx.max_pool2d) {
      tf.tidy(() => {
        const x = nchwToNhwc(t(c.x));
        const opts = { kernelSize: c.kernel_size, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceil_mode };
        const { output, indices } = maxPool2dWithIndices(x, opts);
        expectClose(nhwcToNchw(output), t(c.y), { atol: 1e-6, rtol: 0 });
        expect(Array.from(nhwcToNchw(tf.mul(indices, 1)).dataSync())).toEqual(c.indices.data);
        const seed = nchwToNhwc(t(c.seed));
        const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPool2d(v, opts), seed)))(x);
        expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-5, rtol: 1e-5 });
      });
    }
  });

  it('sends the gradient of tied windows to the first maximum only (2×2 windows, the fast path)', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 1, 0, 2, 1, 1, 2, 2], [1, 2, 4, 1]);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(maxPool2d(v, { kernelSize: 2 })))(x);
      expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
    });
  });

  it('agrees with a reference gradient on larger random maps (non-overlapping and overlapping windows)', () => {
    for (const [k, s] of [
      [2, 2],
      [3, 2],
    ] as const) {
      tf.tidy(() => {
        const x = rand([2, 13, 12, 3], k * 10 + s);
        const xs = x.dataSync();
        const y = maxPool2d(x, { kernelSize: k, stride: s });
        const seed = rand(y.shape, 5);
        const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPool2d(v, { kernelSize: k, stride: s }), seed)))(x).dataSync();
        const want = new Float32Array(xs.length);
        const [, ho, wo] = y.shape;
        const sd = seed.dataSync();
        for (let b = 0; b < 2; b++)
          for (let i = 0; i < ho; i++)
            for (let j = 0; j < wo; j++)
              for (let c = 0; c < 3; c++) {
                let best = -Infinity;
                let at = -1;
                for (let a = 0; a < k; a++)
                  for (let e = 0; e < k; e++) {
                    const idx = ((b * 13 + i * s + a) * 12 + j * s + e) * 3 + c;
                    if (xs[idx]! > best) [best, at] = [xs[idx]!, idx];
                  }
                want[at] += sd[((b * ho + i) * wo + j) * 3 + c]!;
              }
        expectClose(dx, want, { atol: 1e-5, rtol: 1e-5 });
      });
    }
  });

  it('rejects padding over half the kernel and a window larger than the input', () => {
    tf.tidy(() => {
      expect(() => maxPool2d(tf.zeros([1, 4, 4, 1]), { kernelSize: 2, padding: 2 })).toThrow(/at most half/);
      expect(() => maxPool2d(tf.zeros([1, 2, 2, 1]), { kernelSize: 3 })).toThrow(/maxPool2d: x must be/);
      expect(() => new MaxPool2d(0)).toThrow(/kernelSize/);
    });
  });

  it('MaxPool2d returns indices that nhwcToNchw turns into PyTorch layout', () => {
    const pool = new MaxPool2d(2);
    tf.tidy(() => {
      const { output, indices } = pool.forwardWithIndices(tf.tensor4d([1, 5, 3, 4], [1, 2, 2, 1]));
      expect(Array.from(output.dataSync())).toEqual([5]);
      expect(Array.from(indices.dataSync())).toEqual([1]);
      expect(indices.dtype).toBe('int32');
    });
  });
});
