import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { randomCrop } from './random-crop.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { resizedCrop } from './resized-crop.js';

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/data_augment.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;

/** `[N, H, W, 1]` where pixel (n, y, x) = 1000·n + 10·y + x + 1 (its position, readable back). */
function coded(n: number, h: number, w: number): tf.Tensor4D {
  const d = new Float32Array(n * h * w);
  for (let k = 0; k < n; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[(k * h + y) * w + x] = 1000 * k + 10 * y + x + 1;
  return tf.tensor4d(d, [n, h, w, 1]);
}

describe('randomCrop', () => {
  it('copies an exact window of each image, at a position drawn per image', () => {
    const x = coded(6, 8, 9);
    const y = randomCrop(x, [3, 4], { generator: new Generator(2) });
    const out = y.arraySync() as number[][][][];
    const tops = new Set<number>();
    out.forEach((img, k) => {
      const first = img[0]![0]![0]! - 1000 * k - 1; // 10·top + left
      const [top, left] = [Math.floor(first / 10), first % 10];
      tops.add(top * 10 + left);
      img.forEach((row, i) => row.forEach((px, j) => expect(px[0]).toBe(1000 * k + 10 * (top + i) + (left + j) + 1)));
    });
    expect(tops.size).toBeGreaterThan(1);
    tf.dispose([x, y]);
  });

  it('pads like tf.pad / tf.mirrorPad when the crop is the whole padded image', () => {
    const x = coded(1, 4, 5);
    const full = (mode: 'constant' | 'edge' | 'reflect' | 'symmetric') => randomCrop(x, [8, 7], { padding: [1, 2], paddingMode: mode, fill: -1 });
    const c = full('constant');
    const want = tf.pad(x, [[0, 0], [2, 2], [1, 1], [0, 0]], -1);
    expectClose(c, want);
    const r = full('reflect');
    const wantR = tf.mirrorPad(x, [[0, 0], [2, 2], [1, 1], [0, 0]], 'reflect');
    expectClose(r, wantR);
    const s = full('symmetric');
    const wantS = tf.mirrorPad(x, [[0, 0], [2, 2], [1, 1], [0, 0]], 'symmetric');
    expectClose(s, wantS);
    const e = full('edge');
    expect((e.arraySync() as number[][][][])[0]![0]!.map((p) => p[0])).toEqual([1, 1, 2, 3, 4, 5, 5]);
    tf.dispose([x, c, want, r, wantR, s, wantS, e]);
  });

  it('rejects crops larger than the padded image', () => {
    const x = tf.zeros([1, 4, 4, 1]);
    expect(() => randomCrop(x, 5)).toThrow('randomCrop: size must be at most the padded image size [4, 4], got [5, 5]');
    expect(() => randomCrop(x, 2, { padding: 4, paddingMode: 'reflect' })).toThrow(/for 'reflect'/);
    tf.dispose(x);
  });
});

describe('resizedCrop and randomResizedCrop', () => {
  it('match torchvision F.resized_crop (bilinear, antialias=False)', () => {
    for (const c of fx.resized_crop!) {
      const [top, left, height, width] = c.box as number[];
      const x = tf.tensor((c.input as T).data, (c.input as T).shape, 'float32');
      const y = resizedCrop(x, { top: top!, left: left!, height: height!, width: width! }, c.size as [number, number]);
      expect(y.shape).toEqual((c.output as T).shape);
      expectClose(y, (c.output as T).data, { atol: 2e-5 });
      tf.dispose([x, y]);
    }
  });

  it('keeps the image when the box is the whole image and the size is unchanged', () => {
    const x = coded(3, 6, 6);
    const y = randomResizedCrop(x, 6, { scale: [1, 1], ratio: [1, 1], generator: new Generator(0) });
    expectClose(y, x);
    tf.dispose([x, y]);
  });

  it('crops a box per image whose content is a scaled window of the image', () => {
    const x = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 16, 1, 'float32'), [1, 1, 16, 1]), [4, 16, 1, 1])); // x-ramp
    const y = randomResizedCrop(x, [4, 8], { scale: [0.2, 0.6], generator: new Generator(1) });
    const rows = (y.arraySync() as number[][][][]).map((img) => img[0]!.map((p) => p[0]!));
    for (const r of rows) {
      // a bilinear resize of a ramp is a ramp: constant steps, increasing, inside [0, 15]
      const steps = r.slice(1).map((v, i) => v - r[i]!);
      steps.slice(1, -1).forEach((s) => expect(s).toBeCloseTo(steps[1]!, 4));
      expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...r)).toBeLessThanOrEqual(15);
    }
    expect(new Set(rows.map((r) => r[0]!.toFixed(3))).size).toBeGreaterThan(1);
    tf.dispose([x, y]);
  });
});
