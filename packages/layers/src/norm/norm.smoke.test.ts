/** Small normalisation checks that run on every lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { BatchNorm2d, groupNorm, layerNorm } from '../index.js';
import { read } from '../../test/helpers.js';

describe('normalisation (smoke)', () => {
  it('BatchNorm2d updates its running statistics and counter in training', async () => {
    const bn = new BatchNorm2d(1, { momentum: 0.5 });
    const x = tf.tensor4d([1, 3, 5, 7], [1, 2, 2, 1]);
    const y = bn.forward(x);
    expectClose(await read(y), [-1.3416355, -0.4472118, 0.4472118, 1.3416355], { atol: 1e-5 });
    expectClose(await read(bn.runningMean!), [2], { atol: 1e-6 });
    expectClose(await read(bn.runningVar!), [0.5 + 0.5 * (20 / 3)], { atol: 1e-5 });
    expect(await read(bn.numBatchesTracked!)).toEqual([1]);
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(bn.forward(v), tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]))))(x));
    expect((await read(g)).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5); // BN gradients sum to zero per channel
    tf.dispose([x, y, g]);
    bn.dispose();
  });

  it('layerNorm and groupNorm centre and scale', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const l = layerNorm(x, [2, 2, 2]);
    const gn = groupNorm(x, 1);
    expectClose(await read(l), await read(gn), { atol: 1e-6 });
    expect((await read(l)).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
    tf.dispose([x, l, gn]);
  });
});
