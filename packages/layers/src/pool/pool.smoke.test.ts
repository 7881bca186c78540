/** Small pooling checks that run on every lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, maxPool2dWithIndices, maxUnpool2d } from '../index.js';
import { fx, read, t } from '../../test/helpers.js';

describe('pooling (smoke)', () => {
  it('maxPool2d: values, PyTorch indices and the first-maximum gradient', async () => {
    const c = fx.max_pool2d[3]; // a 5×5 map with ties, 3×3 windows, stride 1, padding 1
    const x = tf.tidy(() => nchwToNhwc(t(c.x)));
    const opts = { kernelSize: 3, stride: 1, padding: 1 };
    const { output, indices } = maxPool2dWithIndices(x, opts);
    expect(await read(output)).toEqual(c.y.data);
    expect(await read(indices)).toEqual(c.indices.data);
    const seed = tf.tidy(() => nchwToNhwc(t(c.seed)));
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPool2d(v, opts), seed)))(x));
    expectClose(await read(g), c.dx.data, { atol: 1e-5, rtol: 1e-5 });
    const g2 = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(maxPool2d(v, { kernelSize: 2 })))(tf.tensor4d([1, 1, 0, 2, 1, 1, 2, 2], [1, 2, 4, 1])));
    expect(await read(g2)).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
    tf.dispose([x, output, indices, seed, g, g2]);
  });

  it('avgPool2d, adaptiveAvgPool2d and maxUnpool2d', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const a = avgPool2d(x, { kernelSize: 2, stride: 1 });
    expect(await read(a)).toEqual([3, 4, 6, 7]);
    const ad = adaptiveAvgPool2d(x, [2, 2]);
    expect(await read(ad)).toEqual([3, 4, 6, 7]);
    const idx = tf.tensor4d([5, 11], [1, 1, 2, 1], 'int32');
    const v = tf.tensor4d([5, 9], [1, 1, 2, 1]);
    const u = maxUnpool2d(v, idx, { kernelSize: 3, stride: 1, outputSize: [3, 4] });
    expect(await read(u)).toEqual([0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 9]);
    tf.dispose([x, a, ad, idx, v, u]);
  });
});
