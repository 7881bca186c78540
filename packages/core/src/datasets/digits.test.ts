import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DIGITS_SIZES, digitsSplitIndices, loadDigits } from './digits.js';

describe('loadDigits', () => {
  it('splits the 10,000 digits into disjoint 8,000 / 1,000 / 1,000 parts, the same every time', async () => {
    const idx = digitsSplitIndices();
    expect([idx.train.length, idx.val.length, idx.test.length]).toEqual([8000, 1000, 1000]);
    expect(new Set([...idx.train, ...idx.val, ...idx.test]).size).toBe(DIGITS_SIZES.total);
    expect(Array.from(digitsSplitIndices().test)).toEqual(Array.from(idx.test));
    // the canonical split is fixed: these positions must never change
    expect(Array.from(idx.test.slice(0, 5))).toEqual([6583, 9249, 7584, 6340, 3558]);
  });

  it('returns typed arrays in [0, 1] with every class in every part', async () => {
    const d = await loadDigits({ format: 'array' });
    expect(d.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const [name, part, n] of [['train', d.train, 8000], ['val', d.val, 1000], ['test', d.test, 1000]] as const) {
      expect(part.shape, name).toEqual([n, 28, 28, 1]);
      expect(part.images.length).toBe(n * 784);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of part.images) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect([lo, hi]).toEqual([0, 1]);
      const counts = new Array(10).fill(0);
      for (const l of part.labels) counts[l]++;
      expect(Math.min(...counts), `${name} class counts ${counts}`).toBeGreaterThan(n / 20);
    }
    // a digit has ink (≈ 10–20 % of its pixels) and an empty border row
    const first = d.test.images.subarray(0, 784);
    const ink = first.filter((v) => v > 0.5).length;
    expect(ink).toBeGreaterThan(40);
    expect(ink).toBeLessThan(300);
    expect(Array.from(first.subarray(0, 28)).every((v) => v === 0)).toBe(true);
  });

  it('returns NHWC tensors that match the arrays', async () => {
    const t = await loadDigits();
    const a = await loadDigits({ format: 'array' });
    expect(t.train.images.shape).toEqual([8000, 28, 28, 1]);
    expect(t.train.images.dtype).toBe('float32');
    expect(t.test.labels.dtype).toBe('int32');
    expect(Array.from(t.test.labels.dataSync())).toEqual(Array.from(a.test.labels));
    expect(t.val.images.dataSync().subarray(784 * 7, 784 * 8)).toEqual(a.val.images.subarray(784 * 7, 784 * 8));
    tf.dispose([t.train.images, t.train.labels, t.val.images, t.val.labels, t.test.images, t.test.labels]);
  });

  it('rejects an unknown format', async () => {
    await expect(loadDigits({ format: 'png' as 'array' })).rejects.toThrow("loadDigits: opts.format must be one of 'tensor', 'array', got 'png'");
  });
});
