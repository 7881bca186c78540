import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo, initBackend } from './init-backend.js';

describe('initBackend', () => {
  it('starts the lane’s backend (FOVEA_BACKEND) and verifies it', async () => {
    const want = process.env.FOVEA_BACKEND ?? 'wasm';
    const info = await initBackend();
    expect(info.backend).toBe(want);
    expect(tf.getBackend()).toBe(want);
    expect(info.forced).toBe(!!process.env.FOVEA_BACKEND);
    expect(info.summary).toContain(`backend ${want}`);
    expect(backendInfo()).toBe(info);
    // a second call returns the same result
    expect(await initBackend()).toBe(info);
  });

  it('trains a conv net on this backend (the gradient kernels are registered)', async () => {
    await initBackend();
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
    const w0 = tf.randomNormal([3, 3, 3, 4], 0, 0.1, 'float32', 2);
    const w = tf.variable(w0);
    w0.dispose();
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => tf.sum(tf.square(tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')))) as tf.Scalar,
      [w],
    );
    const g = grads[w.name]!;
    expect(g.shape).toEqual([3, 3, 3, 4]);
    const gv = Array.from(await g.data());
    expect(gv.every(Number.isFinite)).toBe(true);
    expect(gv.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, w, value, g]);
  });
});
