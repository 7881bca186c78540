import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { arr, rng, scoped } from '../../test/helpers.js';
import { selectiveSearch } from './selective-search.js';

/** A synthetic scene: textured background, rectangles and an ellipse in distinct colours, mild noise. */
function scene(seed: number): { image: tf.Tensor3D; objects: number[][] } {
  const H = 72;
  const W = 96;
  const next = rng(seed);
  const d = new Float32Array(H * W * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const stripe = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 12 : 0; // a faint checkerboard background
      d.set([60 + stripe, 90 + stripe, 70 + stripe], (y * W + x) * 3);
    }
  }
  const objects = [
    [8, 6, 38, 30],
    [50, 10, 86, 34],
    [20, 42, 60, 66],
  ];
  const colours = [
    [230, 40, 40],
    [40, 60, 230],
    [240, 220, 60],
  ];
  objects.forEach(([x1, y1, x2, y2], k) => {
    const ellipse = k === 2;
    for (let y = y1!; y < y2!; y++) {
      for (let x = x1!; x < x2!; x++) {
        const u = (x + 0.5 - (x1! + x2!) / 2) / ((x2! - x1!) / 2);
        const v = (y + 0.5 - (y1! + y2!) / 2) / ((y2! - y1!) / 2);
        if (!ellipse || u * u + v * v <= 1) d.set(colours[k]!, (y * W + x) * 3);
      }
    }
  });
  for (let i = 0; i < d.length; i++) d[i] = Math.min(255, Math.max(0, d[i]! + (next() - 0.5) * 16));
  return { image: tf.tensor3d(d, [H, W, 3]), objects };
}

function iou(a: number[], b: number[]): number {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  return (w * h) / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - w * h);
}

describe('selectiveSearch', () => {
  for (const seed of [1, 2]) {
    it(`recalls every object of a synthetic scene with IoU >= 0.8 (seed ${seed})`, () =>
      scoped(async () => {
        const { image, objects } = scene(seed);
        const boxes = await selectiveSearch(image, { generator: new Generator(seed) });
        const rows = boxes.arraySync() as number[][];
        expect(rows.length).toBeGreaterThan(5);
        expect(rows.length).toBeLessThan(2000);
        for (const obj of objects) expect(Math.max(...rows.map((r) => iou(r, obj))), `object ${obj}`).toBeGreaterThanOrEqual(0.8);
        // every proposal lies in the image and is unique
        for (const r of rows) expect(r[0]! >= 0 && r[1]! >= 0 && r[2]! <= 96 && r[3]! <= 72 && r[2]! > r[0]! && r[3]! > r[1]!).toBe(true);
        expect(new Set(rows.map((r) => r.join())).size).toBe(rows.length);
        // the whole image is a proposal: the top of every hierarchy
        expect(rows.some((r) => r.join() === '0,0,96,72')).toBe(true);
      }));
  }

  it('is reproducible with a seeded generator; topK and minBoxSize filter', () =>
    scoped(async () => {
      const { image } = scene(3);
      const a = arr(await selectiveSearch(image, { generator: new Generator(7), scales: [100] }));
      const b = arr(await selectiveSearch(image, { generator: new Generator(7), scales: [100] }));
      expect(a).toEqual(b);
      const top = await selectiveSearch(image, { generator: new Generator(7), scales: [100], topK: 10 });
      expect(top.shape).toEqual([10, 4]);
      expect(arr(top)).toEqual(a.slice(0, 40));
      const big = (await selectiveSearch(image, { generator: new Generator(7), scales: [100], minBoxSize: 20 })).arraySync() as number[][];
      for (const r of big) expect(Math.min(r[2]! - r[0]!, r[3]! - r[1]!)).toBeGreaterThanOrEqual(20);
    }));

  it('validates', () =>
    scoped(async () => {
      await expect(selectiveSearch(tf.zeros([4, 4, 3]), { scales: [] })).rejects.toThrow(/selectiveSearch: options.scales must be at least one scale/);
      await expect(selectiveSearch(tf.zeros([4, 4, 3]), { strategies: [] })).rejects.toThrow(/selectiveSearch: options.strategies must be a non-empty array/);
    }));
});
