import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { GroupNorm, groupNorm, instanceNorm, layerNorm } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('groupNorm', () => {
  it('with G = C is instance norm, with G = 1 is layer norm over (H, W, C)', () => {
    tf.tidy(() => {
      const x = rand([2, 3, 4, 6], 9);
      expectClose(groupNorm(x, 6), instanceNorm(x), { atol: 1e-5 });
      expectClose(groupNorm(x, 1), layerNorm(x, [3, 4, 6]), { atol: 1e-5 });
    });
  });

  it('groups contiguous channels', () => {
    tf.tidy(() => {
      // channels 0-1 are group 0, 2-3 group 1: scaling group 1 does not change group 0's output
      const x = rand([1, 2, 2, 4], 3);
      const scaled = tf.mul(x, tf.tensor1d([1, 1, 10, 10]));
      expectClose(tf.slice(groupNorm(scaled, 2), [0, 0, 0, 0], [1, 2, 2, 2]), tf.slice(groupNorm(x, 2), [0, 0, 0, 0], [1, 2, 2, 2]), { atol: 1e-5 });
    });
  });

  it('rejects channels not divisible into groups', () => {
    tf.tidy(() => {
      expect(() => groupNorm(tf.zeros([1, 2, 2, 6]), 4)).toThrow(/divisible by numGroups = 4, got 6 channels/);
    });
    expect(() => new GroupNorm(4, 6)).toThrow(/numChannels/);
  });
});
