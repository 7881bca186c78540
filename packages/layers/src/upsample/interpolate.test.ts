import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Upsample, interpolate, type InterpolateMode } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

describe('interpolate', () => {
  it('matches PyTorch for nearest-exact, area, non-integer per-axis scales and bicubic, gradients included', () => {
    for (const c of fx.interpolate) {
      tf.tidy(() => {
        const x = nchwToNhwc(t(c.x));
        const opts = { mode: c.mode as InterpolateMode, size: c.size, scaleFactor: c.scale_factor, alignCorners: c.mode === 'bicubic' ? false : null };
        expectClose(nhwcToNchw(interpolate(x, opts)), t(c.y), { atol: 1e-4, rtol: 1e-4 });
        const seed = nchwToNhwc(t(c.seed));
        const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(interpolate(v, opts), seed)))(x);
        expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-3, rtol: 1e-3 });
      });
    }
  });

  it('bilinear with align_corners keeps the corners and is linear in between', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([0, 3], [1, 1, 2, 1]);
      const y = interpolate(x, { size: [1, 4], mode: 'bilinear', alignCorners: true });
      expectClose(y, [0, 1, 2, 3], { atol: 1e-6 });
    });
  });

  it('gives a constant image back for every mode', () => {
    for (const mode of ['nearest', 'nearest-exact', 'bilinear', 'bicubic', 'area'] as const) {
      tf.tidy(() => {
        const y = interpolate(tf.fill([1, 5, 4, 2], 2.5), { size: [7, 3], mode });
        expectClose(y, new Array(7 * 3 * 2).fill(2.5), { atol: 1e-5 });
      });
    }
  });

  it('rejects both or neither of size/scaleFactor and alignCorners for nearest', () => {
    tf.tidy(() => {
      const x = rand([1, 4, 4, 1]);
      expect(() => interpolate(x, { size: 2, scaleFactor: 2 })).toThrow(/exactly one of size and scaleFactor, got both/);
      expect(() => interpolate(x, {})).toThrow(/got neither/);
      expect(() => interpolate(x, { size: 8, mode: 'nearest', alignCorners: true })).toThrow(/alignCorners/);
      expect(() => interpolate(x, { scaleFactor: 0.1 })).toThrow(/at least 1×1/);
    });
  });

  it('Upsample is the module form', () => {
    const up = new Upsample({ scaleFactor: 2, mode: 'nearest' });
    tf.tidy(() => {
      expect(Array.from(up.forward(tf.tensor4d([1, 2], [1, 1, 2, 1])).dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    });
  });
});
