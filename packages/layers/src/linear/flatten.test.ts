import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc } from '@fovea/core';
import { Flatten, flatten } from '../index.js';

describe('flatten', () => {
  it("flattens channels-last images in PyTorch's C, H, W order by default", () => {
    tf.tidy(() => {
      const nchw = tf.reshape(tf.range(0, 24), [2, 3, 2, 2]);
      const y = flatten(nchwToNhwc(nchw));
      expect(Array.from(y.dataSync())).toEqual(Array.from(nchw.dataSync()));
      expect(Array.from(flatten(nchwToNhwc(nchw), { order: 'native' }).dataSync())).toEqual(Array.from(nchwToNhwc(nchw).dataSync()));
    });
  });

  it('keeps the batch dim, also for rank 2/3 and empty batches', () => {
    const f = new Flatten();
    tf.tidy(() => {
      expect(f.forward(tf.zeros([4, 3, 5])).shape).toEqual([4, 15]);
      expect(flatten(tf.zeros([0, 2, 2, 3])).shape).toEqual([0, 12]);
      expect(() => new Flatten({ order: 'nchw' as 'torch' })).toThrow(/order/);
    });
  });
});
