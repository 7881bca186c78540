import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T, close, fixtures, read, scoped } from '../../test/helpers.js';
import { batchedNms } from './batched-nms.js';
import { nms } from './nms.js';
import { softNms } from './soft-nms.js';

describe(`NMS on ${tf.getBackend()}`, () => {
  it('nms and batchedNms match torchvision', () =>
    scoped(async () => {
      const c = fixtures.nms[0];
      expect(await read(await nms(T(c.boxes), T(c.scores), c.thr))).toEqual(c.keep.data);
      expect(await read(await batchedNms(T(c.boxes), T(c.scores), T(c.idxs), c.thr))).toEqual(c.batched_keep.data);
    }));

  it('softNms decays overlapping scores', () =>
    scoped(async () => {
      const r = await softNms(tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]), tf.tensor1d([0.9, 0.8, 0.7]));
      expect(await read(r.keep)).toEqual([0, 2, 1]);
      const o = 81 / 119;
      close(await read(r.scores), [0.9, 0.7, 0.8 * Math.exp(-(o * o) / 0.5)], 1e-6);
    }));

  it('rejects NaN scores', () =>
    scoped(async () => {
      await expect(nms(tf.tensor2d([[0, 0, 1, 1]]), tf.tensor1d([NaN]), 0.5)).rejects.toThrow(/nms: scores must be finite scores, got NaN at index 0/);
    }));
});
