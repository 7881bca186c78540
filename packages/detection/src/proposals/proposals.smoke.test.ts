import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { T, close, fixtures, read, scoped } from '../../test/helpers.js';
import { felzenszwalb } from './felzenszwalb.js';
import { selectiveSearch } from './selective-search.js';
import { slidingWindowCrops } from './sliding-window.js';

describe(`region proposals on ${tf.getBackend()}`, () => {
  it('felzenszwalb reproduces skimage', () =>
    scoped(async () => {
      const fx = fixtures.felzenszwalb_a;
      expect(await read(await felzenszwalb(T(fx.image), { scale: fx.attrs.scale, sigma: fx.attrs.sigma, minSize: fx.attrs.min_size }))).toEqual(fx.labels.data);
    }));

  it('selective search finds a box on a flat background; sliding-window crops are exact', () =>
    scoped(async () => {
      const img = tf.pad(tf.fill([20, 30, 3], 220), [[10, 34], [20, 14], [0, 0]], 30);
      const rows = await read(await selectiveSearch(img, { generator: new Generator(0) }));
      const found = [];
      for (let i = 0; i < rows.length; i += 4) found.push(rows.slice(i, i + 4).join());
      expect(found).toContain('20,10,50,30');
      const { crops } = slidingWindowCrops(tf.reshape(tf.range(0, 16), [4, 4, 1]), { windowSizes: [[2, 2]], strideFraction: 1, cropSize: [2, 2] });
      close(await read(crops), [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]);
    }));
});
