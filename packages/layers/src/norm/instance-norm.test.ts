import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { InstanceNorm2d, instanceNorm } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

describe('InstanceNorm2d', () => {
  it('matches PyTorch with affine parameters and running statistics (train then eval)', () => {
    const c = fx.instancenorm_running;
    const m = new InstanceNorm2d(3, { affine: true, trackRunningStats: true, momentum: 0.2 });
    tf.tidy(() => {
      m.loadStateDict({ weight: tf.tensor1d([0.5, 1, 2]), bias: tf.tensor1d([0.1, -0.2, 0.3]) }, { strict: false });
      expectClose(nhwcToNchw(m.forward(nchwToNhwc(t(c.x)))), t(c.y_train), { atol: 1e-4, rtol: 1e-4 });
      expectClose(m.runningMean!, t(c.running_mean), { atol: 1e-5, rtol: 1e-5 });
      expectClose(m.runningVar!, t(c.running_var), { atol: 1e-5, rtol: 1e-5 });
      m.eval();
      expectClose(nhwcToNchw(m.forward(nchwToNhwc(t(c.x2)))), t(c.y_eval), { atol: 1e-4, rtol: 1e-4 });
    });
    m.dispose();
  });

  it('normalises each (n, c) map; rejects a single position', () => {
    tf.tidy(() => {
      const y = instanceNorm(rand([2, 4, 5, 3], 2));
      expectClose(tf.mean(y, [1, 2]), new Array(6).fill(0), { atol: 1e-5 });
      expect(() => instanceNorm(tf.zeros([2, 1, 1, 3]))).toThrow(/more than 1 position/);
    });
  });
});
