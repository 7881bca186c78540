import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T, arr, fixtures, scoped } from '../../test/helpers.js';
import { felzenszwalb } from './felzenszwalb.js';

describe('felzenszwalb', () => {
  for (const name of ['felzenszwalb_a', 'felzenszwalb_b', 'felzenszwalb_c']) {
    const fx = fixtures[name];
    it(`reproduces skimage.segmentation.felzenszwalb ${JSON.stringify(fx.attrs)}`, () =>
      scoped(async () => {
        const labels = await felzenszwalb(T(fx.image), { scale: fx.attrs.scale, sigma: fx.attrs.sigma, minSize: fx.attrs.min_size });
        expect(labels.shape).toEqual(fx.labels.shape);
        expect(labels.dtype).toBe('int32');
        // same numbering too: skimage numbers segments by their first pixel in raster order
        expect(arr(labels)).toEqual(fx.labels.data);
      }));
  }

  it('separates flat regions and merges small ones', () =>
    scoped(async () => {
      const img = tf.concat([tf.fill([8, 4, 3], 200), tf.fill([8, 4, 3], 20)], 1);
      const labels = arr(await felzenszwalb(img, { scale: 100, sigma: 0, minSize: 1 }));
      expect(labels.slice(0, 8)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
      // a 2-pixel speck is absorbed with minSize 4
      const speck = tf.tidy(() => tf.add(tf.fill([6, 6], 0), tf.scatterND([[2, 2], [2, 3]], [255, 255], [6, 6])));
      expect(new Set(arr(await felzenszwalb(speck, { scale: 1, sigma: 0, minSize: 4 }))).size).toBe(1);
      expect(new Set(arr(await felzenszwalb(speck, { scale: 1, sigma: 0, minSize: 1 }))).size).toBe(2);
    }));

  it('validates', () =>
    scoped(async () => {
      await expect(felzenszwalb(tf.zeros([2, 2, 2, 3]))).rejects.toThrow(/felzenszwalb: image must be rank 2 or 3/);
      await expect(felzenszwalb(tf.zeros([4, 4]), { scale: 0 })).rejects.toThrow(/felzenszwalb: options.scale must be a finite number > 0, got 0/);
    }));
});
