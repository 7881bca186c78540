import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { BatchNorm1d, BatchNorm2d, batchNorm } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

describe('batchNorm', () => {
  it('normalises per channel with the biased batch variance and updates Variables with the unbiased one', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 10],
        [3, 30],
        [5, 20],
      ]);
      const rm = tf.variable(tf.zeros([2]));
      const rv = tf.variable(tf.ones([2]));
      const y = batchNorm(x, { runningMean: rm, runningVar: rv, training: true, momentum: 0.5, eps: 0 });
      const s = Math.sqrt(8 / 3);
      expectClose(y, [-2 / s, -1.2247449, 0, 1.2247449, 2 / s, 0], { atol: 1e-5 });
      expectClose(rm, [1.5, 10], { atol: 1e-5 });
      expectClose(rv, [0.5 + 0.5 * 4, 0.5 + 0.5 * 100], { atol: 1e-4 });
      rm.dispose();
      rv.dispose();
    });
  });

  it('rejects one value per channel in training, and missing running stats in eval', () => {
    tf.tidy(() => {
      expect(() => batchNorm(tf.zeros([1, 3]), { training: true })).toThrow(/more than 1 value per channel/);
      expect(() => batchNorm(tf.zeros([2, 3]))).toThrow(/running statistics in eval mode/);
      expect(() => batchNorm(tf.zeros([2, 3]), { training: true, runningMean: tf.zeros([3]), runningVar: tf.ones([3]) })).toThrow(/tf.Variables/);
    });
  });
});

describe('BatchNorm2d', () => {
  it("has PyTorch's state dict, counts batches, and averages cumulatively with momentum null", () => {
    const c = fx.batchnorm_cumulative;
    const bn = new BatchNorm2d(3, { momentum: null });
    tf.tidy(() => {
      expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
      c.xs.forEach((xj: never, i: number) => expectClose(nhwcToNchw(bn.forward(nchwToNhwc(t(xj)))), t(c.ys[i]), { atol: 1e-4, rtol: 1e-4 }));
      expectClose(bn.runningMean!, t(c.running_mean), { atol: 1e-5, rtol: 1e-5 });
      expectClose(bn.runningVar!, t(c.running_var), { atol: 1e-5, rtol: 1e-5 });
      const sd = bn.stateDict();
      expect(sd['num_batches_tracked']!.dtype).toBe('int32');
      expect(sd['num_batches_tracked']!.dataSync()[0]).toBe(c.num_batches_tracked);
    });
    bn.dispose();
  });

  it('uses running statistics in eval mode and batch statistics without tracking', () => {
    const bn = new BatchNorm2d(2).eval();
    const free = new BatchNorm2d(2, { trackRunningStats: false }).eval();
    tf.tidy(() => {
      const x = rand([2, 3, 3, 2], 4);
      expectClose(bn.forward(x), tf.div(x, Math.sqrt(1 + 1e-5)), { atol: 1e-6 });
      const y = free.forward(x);
      expectClose(tf.mean(y, [0, 1, 2]), [0, 0], { atol: 1e-5 });
      expect(Object.keys(free.stateDict())).toEqual(['weight', 'bias']);
    });
    bn.dispose();
    free.dispose();
  });

  it('BatchNorm1d takes [N, C] and [N, L, C] and checks the channel count', () => {
    const bn = new BatchNorm1d(4);
    tf.tidy(() => {
      expect(bn.forward(rand([5, 4])).shape).toEqual([5, 4]);
      expect(bn.forward(rand([2, 3, 4])).shape).toEqual([2, 3, 4]);
      expect(() => bn.forward(tf.zeros([5, 3]))).toThrow(/4 channels/);
    });
    bn.dispose();
  });
});
