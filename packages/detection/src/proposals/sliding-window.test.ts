import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { scoped } from '../../test/helpers.js';
import { slidingWindowCrops, slidingWindows } from './sliding-window.js';

describe('sliding windows', () => {
  it('tiles with half-window strides and a last window flush with the edge', () =>
    scoped(() => {
      expectClose(slidingWindows([4, 6], { windowSizes: [[4, 4]] }), [[0, 0, 4, 4], [2, 0, 6, 4]]);
      const b = slidingWindows([10, 10], { windowSizes: [[4, 4], [10, 5]], strideFraction: 1 });
      // 4×4: origins 0, 4 and the flush 6 per axis → 9; 10×5: one row, origins 0, 5 → 2
      expect(b.shape).toEqual([11, 4]);
      expect(b.arraySync()[8]).toEqual([6, 6, 10, 10]);
      expect(slidingWindows([3, 3], { windowSizes: [[4, 4]] }).shape).toEqual([0, 4]);
    }));

  it('crops exactly when the crop size equals the window size', () =>
    scoped(async () => {
      const img = tf.reshape(tf.range(0, 6 * 8 * 2), [6, 8, 2]);
      const { crops, boxes } = slidingWindowCrops(img, { windowSizes: [[3, 4]], cropSize: [3, 4] });
      const rows = boxes.arraySync() as number[][];
      expect(crops.shape).toEqual([rows.length, 3, 4, 2]);
      rows.forEach(([x1, y1], i) => expectClose(tf.reshape(tf.slice(crops, [i, 0, 0, 0], [1, 3, 4, 2]), [3, 4, 2]), tf.slice(img, [y1!, x1!, 0], [3, 4, 2])));
      await expectNoLeaks(() => {
        const r = slidingWindowCrops(img, { windowSizes: [[3, 4]], cropSize: [2, 2] });
        r.boxes.dispose();
        return tf.keep(r.crops);
      });
    }));

  it('validates', () =>
    scoped(() => {
      expect(() => slidingWindows([10, 10], { windowSizes: [] })).toThrow(/slidingWindows: options.windowSizes must be a non-empty list/);
      expect(() => slidingWindows([10, 10], { windowSizes: [[4, 4]], strideFraction: 0 })).toThrow(/slidingWindows: options.strideFraction must be a number in \(0, 1\], got 0/);
      expect(() => slidingWindowCrops(tf.zeros([10, 10]), { windowSizes: [[4, 4]], cropSize: [2, 2] })).toThrow(/slidingWindowCrops: image must be rank 3/);
    }));
});
