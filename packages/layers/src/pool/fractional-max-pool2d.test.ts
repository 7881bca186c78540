import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { FractionalMaxPool2d, fractionalMaxPool2d, fractionalMaxPool2dWithIndices } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

describe('fractionalMaxPool2d', () => {
  it("matches PyTorch given its random samples, indices and gradient included", () => {
    for (const c of fx.fractional_max_pool2d) {
      tf.tidy(() => {
        const x = nchwToNhwc(t(c.x));
        const opts = { kernelSize: c.kernel_size, outputSize: c.output_size, randomSamples: c.samples.data as number[] };
        const { output, indices } = fractionalMaxPool2dWithIndices(x, opts);
        expectClose(nhwcToNchw(output), t(c.y), { atol: 1e-6, rtol: 0 });
        expect(Array.from(nhwcToNchw(tf.mul(indices, 1)).dataSync())).toEqual(c.indices.data);
        const seed = nchwToNhwc(t(c.seed));
        const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fractionalMaxPool2d(v, opts), seed)))(x);
        expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-5, rtol: 1e-5 });
      });
    }
  });

  it('is reproducible from a seed and differs between seeds', () => {
    tf.tidy(() => {
      const x = rand([1, 16, 16, 2], 3);
      const run = (seed: number) => fractionalMaxPool2d(x, { kernelSize: 2, outputRatio: 0.7, generator: new Generator(seed) }).dataSync();
      expect(Array.from(run(1))).toEqual(Array.from(run(1)));
      expect(Array.from(run(1))).not.toEqual(Array.from(run(2)));
      expect(fractionalMaxPool2d(x, { kernelSize: 2, outputRatio: 0.7 }).shape).toEqual([1, 11, 11, 2]);
    });
  });

  it('rejects an output too large for the kernel and bad samples', () => {
    tf.tidy(() => {
      const x = tf.zeros([1, 8, 8, 1]);
      expect(() => fractionalMaxPool2d(x, { kernelSize: 3, outputSize: 7 })).toThrow(/at most input - kernel \+ 1/);
      expect(() => fractionalMaxPool2d(x, { kernelSize: 2, outputSize: 4, randomSamples: [0.5] })).toThrow(/randomSamples/);
      expect(() => new FractionalMaxPool2d(2, {}).forward(x)).toThrow(/exactly one of outputSize and outputRatio/);
    });
  });
});
