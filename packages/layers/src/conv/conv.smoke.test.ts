/** Small convolution checks that run on every lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { conv3dWeightLayout, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { conv2d, conv3d, convTranspose2d } from '../index.js';
import { fx, onGradBackend, read, t } from '../../test/helpers.js';

describe('convolutions (smoke)', () => {
  it('conv2d: same padding with an even kernel, groups and a depthwise gradient', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const w = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 1], [2, 2, 1, 2]); // depthwise: channel 0 top-left tap, channel 1 bottom-right tap
    const y = conv2d(x, w, null, { padding: 'same', groups: 2 });
    expect(await read(y)).toEqual([1, 8, 3, 0, 5, 0, 7, 0]);
    await onGradBackend(async () => {
      const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(conv2d(v, w, null, { padding: 'same', groups: 2 })))(x));
      expect(await read(g)).toEqual([1, 0, 1, 0, 1, 0, 1, 1]);
      g.dispose();
    });
    tf.dispose([x, w, y]);
  });

  it('conv3d matches PyTorch (dilation)', async () => {
    const c = fx.conv3d[2];
    const [x, w, b] = tf.tidy(() => [nchwToNhwc(t(c.x)), conv3dWeightLayout.fromTorch(t(c.weight)), t(c.bias)]);
    const y = tf.tidy(() => nhwcToNchw(conv3d(x!, w!, b!, { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups })));
    expectClose(await read(y), c.y.data, { atol: 1e-4, rtol: 1e-4 });
    tf.dispose([x!, w!, b!, y]);
  });

  it('convTranspose2d upsamples by the stride', async () => {
    const x = tf.ones([1, 2, 2, 1]);
    const w = tf.ones([2, 2, 1, 1]);
    const y = convTranspose2d(x, w, null, { stride: 2 });
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(await read(y)).toEqual(new Array(16).fill(1));
    tf.dispose([x, w, y]);
  });
});
