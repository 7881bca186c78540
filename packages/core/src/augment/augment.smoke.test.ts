import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { adjustHue } from './adjust-color.js';
import { rotate } from './affine.js';
import { colorJitter } from './color-jitter.js';
import { cutmix } from './cutmix.js';
import { cutout } from './cutout.js';
import { gridSample } from './grid-sample.js';
import { lensDistortion } from './lens-distortion.js';
import { mixup } from './mixup.js';
import { randomCrop } from './random-crop.js';
import { randomHorizontalFlip } from './random-horizontal-flip.js';
import { randomResizedCrop } from './random-resized-crop.js';

/** Small checks that run on every backend (cpu, wasm, webgpu): results are read with await data(). */
async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from((await t.data()) as Float32Array);
  t.dispose();
  return v;
}

describe('augmentation on this backend', () => {
  it('samples, rotates and crops exactly', async () => {
    const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const grid = tf.tensor4d([-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5], [1, 2, 2, 2]);
    expect((await values(gridSample(img, grid))).map((v) => +v.toFixed(4))).toEqual([1, 2, 3, 4]);
    expect((await values(rotate(img, 90))).map((v) => +v.toFixed(4))).toEqual([2, 4, 1, 3]);
    expect(await values(randomCrop(img, 2, { padding: 0 }))).toEqual([1, 2, 3, 4]);
    expect(await values(randomHorizontalFlip(img, { p: 1 }))).toEqual([2, 1, 4, 3]);
    expect((await values(randomResizedCrop(img, 2, { scale: [1, 1], ratio: [1, 1] }))).map((v) => +v.toFixed(4))).toEqual([1, 2, 3, 4]);
    expect((await values(lensDistortion(img, 0))).map((v) => +v.toFixed(4))).toEqual([1, 2, 3, 4]);
    tf.dispose([img, grid]);
  });

  it('adjusts colour, cuts out and mixes', async () => {
    const red = tf.tensor4d([1, 0, 0, 1, 0, 0], [2, 1, 1, 3]);
    expect((await values(adjustHue(red, [1 / 3, -1 / 3]))).map((v) => +v.toFixed(4))).toEqual([0, 1, 0, 0, 0, 1]);
    const j = colorJitter(red, { brightness: 0.2, hue: 0.1, generator: new Generator(0) });
    expect(j.shape).toEqual([2, 1, 1, 3]);
    j.dispose();
    const ones = tf.ones([1, 3, 3, 1]);
    expect(await values(cutout(ones, [[0, 0, 2, 2]]))).toEqual([0, 0, 1, 0, 0, 1, 1, 1, 1]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const m = mixup(red, labels, { numClasses: 2, generator: new Generator(1) });
    const rows = await values(m.labels);
    expect(rows[0]! + rows[1]!).toBeCloseTo(1, 5);
    m.images.dispose();
    const c = cutmix(red, labels, { numClasses: 2, generator: new Generator(1) });
    expect((await values(c.labels)).length).toBe(4);
    c.images.dispose();
    tf.dispose([red, ones, labels]);
  });
});
