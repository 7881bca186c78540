import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { LayerNorm, layerNorm } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('layerNorm', () => {
  it('normalises the trailing dims with the biased variance, then scales and shifts', () => {
    tf.tidy(() => {
      const y = layerNorm(tf.tensor2d([[1, 2, 3, 4]]), 4, tf.fill([4], 2), tf.fill([4], 1), 0);
      const s = Math.sqrt(1.25);
      expectClose(y, [1 - 3 / s, 1 - 1 / s, 1 + 1 / s, 1 + 3 / s], { atol: 1e-5 });
    });
  });

  it('checks the trailing dims; the module has PyTorch keys', () => {
    const ln = new LayerNorm([3, 4]);
    tf.tidy(() => {
      expect(() => layerNorm(tf.zeros([2, 4, 3]), [3, 4])).toThrow(/trailing dims \[3, 4\]/);
      expect(ln.forward(rand([2, 3, 4])).shape).toEqual([2, 3, 4]);
      expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    });
    ln.dispose();
  });
});
