import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { T, fixtures, scoped } from '../../test/helpers.js';
import { sigmoidFocalLoss } from './sigmoid-focal-loss.js';

describe('sigmoidFocalLoss', () => {
  it('reduces to alpha-weighted BCE with gamma 0 and to BCE without alpha', () =>
    scoped(() => {
      const x = tf.tensor1d([2, -1, 0.5]);
      const t = tf.tensor1d([1, 0, 0]);
      const bce = [Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-1)), Math.log1p(Math.exp(0.5))];
      expectClose(sigmoidFocalLoss(x, t, { alpha: -1, gamma: 0 }), bce, { atol: 1e-6 });
      expectClose(sigmoidFocalLoss(x, t, { alpha: 0.25, gamma: 0 }), [0.25 * bce[0]!, 0.75 * bce[1]!, 0.75 * bce[2]!], { atol: 1e-6 });
    }));

  it('value and gradient match torchvision, including at logit 0 (fixture)', () =>
    scoped(() => {
      const fx = fixtures.focal;
      const [x, t] = [T(fx.inputs), T(fx.targets)];
      expectClose(sigmoidFocalLoss(x, t, { reduction: 'sum' }), T(fx.loss), { atol: 1e-6 });
      const g = tf.grad((v: tf.Tensor) => sigmoidFocalLoss(v, t, { reduction: 'sum' }))(x);
      expectClose(g, T(fx.grad), { atol: 1e-6 });
    }));

  it('releases intermediates and validates', () =>
    scoped(async () => {
      const x = tf.zeros([3, 2]);
      await expectNoLeaks(() => tf.keep(sigmoidFocalLoss(x, x, { reduction: 'mean' })));
      expect(() => sigmoidFocalLoss(x, tf.zeros([3]))).toThrow(/sigmoidFocalLoss: targets must be shape \[3, 2\], got shape \[3\]/);
      expect(() => sigmoidFocalLoss(x, x, { gamma: -1 })).toThrow(/sigmoidFocalLoss: options.gamma must be a finite number >= 0, got -1/);
    }));
});
