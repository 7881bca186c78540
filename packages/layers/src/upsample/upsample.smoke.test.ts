/** Small resampling checks that run on every lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { bedOfNailsUnpool, interpolate, pixelShuffle, type InterpolateMode } from '../index.js';
import { fx, read, t } from '../../test/helpers.js';

describe('resampling (smoke)', () => {
  it('interpolate matches PyTorch (bicubic with a non-integer scale), gradient included', async () => {
    const c = fx.interpolate[3];
    const x = tf.tidy(() => nchwToNhwc(t(c.x)));
    const opts = { mode: c.mode as InterpolateMode, scaleFactor: c.scale_factor, alignCorners: false };
    const y = tf.tidy(() => nhwcToNchw(interpolate(x, opts)));
    expectClose(await read(y), c.y.data, { atol: 1e-4, rtol: 1e-4 });
    const seed = tf.tidy(() => nchwToNhwc(t(c.seed)));
    const g = tf.tidy(() => nhwcToNchw(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(interpolate(v, opts), seed)))(x)));
    expectClose(await read(g), c.dx.data, { atol: 1e-3, rtol: 1e-3 });
    tf.dispose([x, y, seed, g]);
  });

  it('bed-of-nails unpooling and pixel shuffle', async () => {
    const x = tf.tensor4d([1, 2], [1, 1, 2, 1]);
    const b = bedOfNailsUnpool(x);
    expect(await read(b)).toEqual([1, 0, 2, 0, 0, 0, 0, 0]);
    const q = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
    const p = pixelShuffle(q, 2);
    expect(await read(p)).toEqual([1, 2, 3, 4]);
    tf.dispose([x, b, q, p]);
  });
});
