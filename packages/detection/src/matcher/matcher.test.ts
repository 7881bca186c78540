import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T, arr, fixtures, scoped } from '../../test/helpers.js';
import { BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, Matcher, matchBoxes } from './matcher.js';

describe('matcher', () => {
  it('codes below / between / matched', () =>
    scoped(async () => {
      const iou = tf.tensor2d([[0.9, 0.5, 0.1], [0.2, 0.6, 0.35]]);
      const m = await matchBoxes(iou, { highThreshold: 0.7, lowThreshold: 0.3 });
      expect(arr(m)).toEqual([0, BETWEEN_THRESHOLDS, BETWEEN_THRESHOLDS]);
      expect(arr(await matchBoxes(iou, { highThreshold: 0.5, lowThreshold: 0.4 }))).toEqual([0, 1, BELOW_LOW_THRESHOLD]);
    }));

  it('restores every tied best prediction of a gt with allowLowQualityMatches (torchvision fixture)', () =>
    scoped(async () => {
      const fx = fixtures.matcher;
      expect(arr(await new Matcher({ highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true }).match(T(fx.iou)))).toEqual(fx.allow.data);
      expect(arr(await new Matcher({ highThreshold: 0.7, lowThreshold: 0.3 }).match(T(fx.iou)))).toEqual(fx.deny.data);
    }));

  it('gives -1 to every prediction when there is no ground truth, [] when no predictions', () =>
    scoped(async () => {
      expect(arr(await matchBoxes(tf.zeros([0, 3]), { highThreshold: 0.5, lowThreshold: 0.5 }))).toEqual([-1, -1, -1]);
      expect(arr(await matchBoxes(tf.zeros([2, 0]), { highThreshold: 0.5, lowThreshold: 0.5 }))).toEqual([]);
    }));

  it('validates thresholds and values', () =>
    scoped(async () => {
      expect(() => new Matcher({ highThreshold: 0.3, lowThreshold: 0.7 })).toThrow(/Matcher: options.lowThreshold must be a finite number <= 0.3, got 0.7/);
      await expect(matchBoxes(tf.tensor2d([[0.1, NaN]]), { highThreshold: 0.5, lowThreshold: 0.4 })).rejects.toThrow(/matchBoxes: quality must be no NaN, got NaN at row 0 \(column 1\)/);
      await expect(matchBoxes(tf.zeros([3]), { highThreshold: 0.5, lowThreshold: 0.4 })).rejects.toThrow(/matchBoxes: quality must be rank 2/);
    }));
});
