import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { cutmix } from './cutmix.js';
import { cutout, randomCutout } from './cutout.js';
import { mixup } from './mixup.js';
import { randomHorizontalFlip } from './random-horizontal-flip.js';

describe('randomHorizontalFlip', () => {
  it('moves a known pixel to the mirrored column in the flipped images only', () => {
    const x = tf.tidy(() => tf.tile(tf.reshape(tf.oneHot([1], 5), [1, 1, 5, 1]), [8, 3, 1, 1])); // a bright column at x = 1
    const y = randomHorizontalFlip(x, { generator: new Generator(0) });
    const out = y.arraySync() as number[][][][];
    const flipped = out.map((img) => img[0]![3]![0] === 1);
    out.forEach((img, k) => {
      const col = flipped[k] ? 3 : 1;
      img.forEach((row) => row.forEach((p, j) => expect(p[0]).toBe(j === col ? 1 : 0)));
    });
    expect(flipped.some(Boolean) && !flipped.every(Boolean)).toBe(true);
    const all = randomHorizontalFlip(x, { p: 1 });
    const none = randomHorizontalFlip(x, { p: 0 });
    const mirrored = tf.reverse(x, 2);
    expectClose(all, mirrored);
    expectClose(none, x);
    expect(() => randomHorizontalFlip(x, { p: 2 })).toThrow('randomHorizontalFlip: opts.p must be a finite number >= 0 <= 1, got 2');
    tf.dispose([x, y, all, none, mirrored]);
  });
});

describe('cutout', () => {
  it('fills exactly the patch and nothing else', () => {
    const x = tf.ones([2, 5, 6, 2]);
    const y = cutout(x, [[1, 2, 3, 5], [-1, -1, 1, 1]], { fill: [0, 7] });
    const v = y.arraySync() as number[][][][];
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 6; j++) {
        const in0 = i >= 1 && i < 3 && j >= 2 && j < 5;
        const in1 = i < 1 && j < 1;
        expect(v[0]![i]![j]).toEqual(in0 ? [0, 7] : [1, 1]);
        expect(v[1]![i]![j]).toEqual(in1 ? [0, 7] : [1, 1]);
      }
    tf.dispose([x, y]);
  });

  it('randomCutout zeroes one rectangle per image, clipped at the border', () => {
    const x = tf.ones([20, 10, 10, 1]);
    const y = randomCutout(x, 4, { generator: new Generator(3) });
    const v = y.arraySync() as number[][][][];
    let clipped = 0;
    v.forEach((img) => {
      const zeros: [number, number][] = [];
      img.forEach((row, i) => row.forEach((p, j) => p[0] === 0 && zeros.push([i, j])));
      const ys = zeros.map((z) => z[0]);
      const xs = zeros.map((z) => z[1]);
      const [hh, ww] = [Math.max(...ys) - Math.min(...ys) + 1, Math.max(...xs) - Math.min(...xs) + 1];
      expect(zeros.length).toBe(hh * ww); // a full rectangle
      expect(hh).toBeLessThanOrEqual(4);
      expect(ww).toBeLessThanOrEqual(4);
      expect(hh).toBeGreaterThanOrEqual(2); // the centre is inside, so at least half the side remains
      if (hh * ww < 16) clipped++;
    });
    expect(clipped).toBeGreaterThan(0);
    tf.dispose([x, y]);
  });
});

describe('mixup and cutmix', () => {
  const images = () => tf.tidy(() => tf.reshape(tf.range(0, 4 * 3 * 3, 1, 'float32'), [4, 3, 3, 1]));
  const labels = () => tf.tensor1d([0, 1, 2, 3], 'int32');

  it('mixup blends each image and label with its partner, label weights summing to 1', () => {
    const [x, y] = [images(), labels()];
    const m = mixup(x, y, { numClasses: 5, alpha: 0.4, generator: new Generator(2) });
    expect(m.lambda).toBeGreaterThanOrEqual(0);
    expect(m.lambda).toBeLessThanOrEqual(1);
    const xs = x.arraySync() as number[][][][];
    const got = m.images.arraySync() as number[][][][];
    m.index.forEach((p, k) => expect(got[k]![1]![2]![0]).toBeCloseTo(m.lambda * xs[k]![1]![2]![0]! + (1 - m.lambda) * xs[p]![1]![2]![0]!, 4));
    const rows = m.labels.arraySync() as number[][];
    rows.forEach((r, k) => {
      expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r[k]! + (m.index[k] === k ? 0 : r[m.index[k]!]!)).toBeCloseTo(m.index[k] === k ? 1 : 1, 5);
    });
    expect(Array.from(m.index).sort()).toEqual([0, 1, 2, 3]);
    tf.dispose([x, y, m.images, m.labels]);
  });

  it('cutmix pastes the partner inside the patch, keeps the rest, and weights labels by area', () => {
    const [x, y] = [images(), labels()];
    const m = cutmix(x, y, { numClasses: 4, generator: new Generator(11) });
    const [y1, x1, y2, x2] = m.patch;
    expect(m.lambda).toBeCloseTo(1 - ((y2 - y1) * (x2 - x1)) / 9, 6);
    const xs = x.arraySync() as number[][][][];
    const got = m.images.arraySync() as number[][][][];
    got.forEach((img, k) =>
      img.forEach((row, i) => row.forEach((p, j) => expect(p[0]).toBe(i >= y1 && i < y2 && j >= x1 && j < x2 ? xs[m.index[k]!]![i]![j]![0] : xs[k]![i]![j]![0]))),
    );
    (m.labels.arraySync() as number[][]).forEach((r) => expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6));
    const soft = tf.tensor2d([[1, 0], [0, 1], [0.5, 0.5], [1, 0]]);
    const m2 = cutmix(x, soft, { generator: new Generator(11) });
    expect(m2.labels.shape).toEqual([4, 2]);
    expect(() => mixup(x, y)).toThrow('mixup: opts.numClasses must be an integer >= 1, got undefined');
    tf.dispose([x, y, m.images, m.labels, soft, m2.images, m2.labels]);
  });
});
