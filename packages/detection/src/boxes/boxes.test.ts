import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { arr, scoped } from '../../test/helpers.js';
import { boxArea } from './box-area.js';
import { boxConvert } from './box-convert.js';
import { checkBoxes } from './check-boxes.js';
import { clipBoxesToImage } from './clip-boxes-to-image.js';
import { masksToBoxes } from './masks-to-boxes.js';
import { removeSmallBoxes } from './remove-small-boxes.js';

describe('boxConvert', () => {
  const xyxy = [
    [10, 20, 30, 60],
    [0, 0, 1, 1],
    [5.5, 2, 5.5, 9],
  ];
  const cxcywh = [
    [20, 40, 20, 40],
    [0.5, 0.5, 1, 1],
    [5.5, 5.5, 0, 7],
  ];
  const xywh = [
    [10, 20, 20, 40],
    [0, 0, 1, 1],
    [5.5, 2, 0, 7],
  ];
  const all = { xyxy, cxcywh, xywh } as const;

  it('converts between every pair of formats', () =>
    scoped(() => {
      for (const f of ['xyxy', 'xywh', 'cxcywh'] as const) {
        for (const t of ['xyxy', 'xywh', 'cxcywh'] as const) expectClose(boxConvert(tf.tensor2d(all[f]), f, t), all[t]);
      }
    }));

  it('keeps leading dims, handles empty input, releases intermediates', () =>
    scoped(async () => {
      const b = tf.zeros([2, 3, 4]);
      const y = await expectNoLeaks(() => tf.keep(boxConvert(b, 'xywh', 'xyxy')));
      expect(y.isDisposed).toBe(true);
      expect(boxConvert(b, 'xywh', 'xyxy').shape).toEqual([2, 3, 4]);
      expect(boxConvert(tf.zeros([0, 4]), 'cxcywh', 'xyxy').shape).toEqual([0, 4]);
    }));

  it('is differentiable (xyxy → cxcywh: d(cx)/d(x1) = 1/2, d(w)/d(x1) = -1)', () =>
    scoped(() => {
      const seed = tf.tensor2d([[1, 10, 100, 1000]]);
      const g = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(boxConvert(b, 'xyxy', 'cxcywh'), seed)))(tf.tensor2d([[1, 2, 3, 4]]));
      expectClose(g, [[0.5 - 100, 5 - 1000, 0.5 + 100, 5 + 1000]]);
    }));

  it('rejects bad formats and shapes', () =>
    scoped(() => {
      expect(() => boxConvert(tf.zeros([2, 5]), 'xyxy', 'cxcywh')).toThrow(/boxConvert: boxes must be shape \[\*, 4\], got shape \[2, 5\]/);
      expect(() => boxConvert(tf.zeros([2, 4]), 'xyxy', 'yxyx' as 'xyxy')).toThrow(/boxConvert: outFmt must be one of 'xyxy', 'xywh', 'cxcywh', got 'yxyx'/);
      expect(() => boxConvert(tf.zeros([2, 4], 'int32'), 'xyxy', 'xywh')).toThrow(/boxConvert: boxes must be dtype float32, got dtype int32/);
    }));
});

describe('boxArea, clipBoxesToImage', () => {
  it('computes areas without clamping', () =>
    scoped(() => {
      expectClose(boxArea(tf.tensor2d([[0, 0, 10, 5], [2, 2, 2, 9]])), [50, 0]);
      expect(() => boxArea(tf.zeros([4]))).toThrow(/boxArea: boxes must be shape \[N, 4\], got shape \[4\]/);
    }));

  it('clips x to [0, W] and y to [0, H]', () =>
    scoped(() => {
      expectClose(clipBoxesToImage(tf.tensor2d([[-5, 10, 120, 40], [3, -2, 7, 80]]), [50, 100]), [[0, 10, 100, 40], [3, 0, 7, 50]]);
      expect(() => clipBoxesToImage(tf.zeros([1, 4]), [50] as unknown as [number, number])).toThrow(/clipBoxesToImage: size must be an image size \[H, W\]/);
    }));
});

describe('removeSmallBoxes', () => {
  it('keeps boxes with both sides >= minSize (inclusive)', () =>
    scoped(async () => {
      const keep = await removeSmallBoxes(tf.tensor2d([[0, 0, 10, 10], [0, 0, 2, 30], [1, 1, 6, 6], [0, 0, 4.99, 9]]), 5);
      expect(keep.dtype).toBe('int32');
      expect(arr(keep)).toEqual([0, 2]);
      expect(arr(await removeSmallBoxes(tf.zeros([0, 4]), 1))).toEqual([]);
    }));

  it('names the first inverted or non-finite row', () =>
    scoped(async () => {
      await expect(removeSmallBoxes(tf.tensor2d([[0, 0, 1, 1], [5, 0, 2, 3]]), 1)).rejects.toThrow(
        /removeSmallBoxes: boxes must be xyxy rows with x2 >= x1 and y2 >= y1, got \[5, 0, 2, 3\] at row 1/,
      );
      await expect(removeSmallBoxes(tf.tensor2d([[0, 0, Infinity, 1]]), 1)).rejects.toThrow(/finite coordinates, got \[0, 0, Infinity, 1\] at row 0/);
    }));
});

describe('masksToBoxes', () => {
  it('gives inclusive pixel bounds', () =>
    scoped(async () => {
      const m = new Uint8Array(2 * 4 * 5);
      m[0 * 20 + 1 * 5 + 2] = 1; // mask 0: pixel (x 2, y 1)
      m[1 * 20 + 0 * 5 + 4] = 1; // mask 1: (4, 0) and (1, 3)
      m[1 * 20 + 3 * 5 + 1] = 1;
      expectClose(await masksToBoxes(tf.tensor3d(m, [2, 4, 5], 'bool')), [[2, 1, 2, 1], [1, 0, 4, 3]]);
      expect((await masksToBoxes(tf.zeros([0, 3, 3], 'bool'))).shape).toEqual([0, 4]);
    }));

  it('rejects an empty mask, naming it', () =>
    scoped(async () => {
      const m = tf.tensor3d(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]), [2, 2, 2], 'bool');
      await expect(masksToBoxes(m)).rejects.toThrow(/masksToBoxes: masks must be masks with at least one pixel set, got an empty mask at index 1/);
    }));
});

describe('checkBoxes', () => {
  it('accepts valid boxes and names the first bad row', () =>
    scoped(async () => {
      await checkBoxes(tf.tensor2d([[0, 0, 5, 5], [1, 1, 1, 1]]));
      await expect(checkBoxes(tf.tensor2d([[0, 0, 5, 5], [0, NaN, 1, 1]]))).rejects.toThrow(/checkBoxes: boxes must be finite coordinates, got \[0, NaN, 1, 1\] at row 1/);
      await expect(checkBoxes(tf.tensor2d([[0, 0, -1, 5]]), { format: 'xywh' })).rejects.toThrow(/w >= 0 and h >= 0, got \[0, 0, -1, 5\] at row 0/);
      await expect(checkBoxes(tf.zeros([3]))).rejects.toThrow(/checkBoxes: boxes must be shape \[N, 4\], got shape \[3\]/);
    }));
});
