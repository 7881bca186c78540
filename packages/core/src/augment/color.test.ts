import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from './adjust-color.js';
import { colorJitter } from './color-jitter.js';

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/data_augment.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;
const fns = { brightness: adjustBrightness, contrast: adjustContrast, saturation: adjustSaturation, hue: adjustHue };

describe('colour adjustments', () => {
  it('match torchvision adjust_brightness / contrast / saturation / hue, with a factor per image', () => {
    for (const c of fx.adjust!) {
      const x = tf.tensor((c.input as T).data, (c.input as T).shape, 'float32');
      const y = fns[c.fn as keyof typeof fns](x, c.factors as number[]);
      expectClose(y, (c.output as T).data, { atol: 2e-5 });
      tf.dispose([x, y]);
    }
  });

  it('turn red into green with a third of a hue turn, and grey images pass hue and saturation unchanged', () => {
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    const g = adjustHue(red, 1 / 3);
    expectClose(g, [0, 1, 0], { atol: 1e-5 });
    const grey = tf.fill([2, 2, 2, 1], 0.3);
    const h = adjustHue(grey, 0.2);
    const s = adjustSaturation(grey, 0);
    expectClose(h, grey);
    expectClose(s, grey);
    expect(() => adjustHue(red, 0.7)).toThrow('adjustHue: factor must be a finite number >= -0.5 <= 0.5, got 0.7');
    const four = tf.zeros([1, 2, 2, 4]);
    expect(() => adjustBrightness(four, 1)).toThrow('adjustBrightness: images must be 1 or 3 channels (grey or RGB, NHWC), got 4 channels');
    tf.dispose([red, g, grey, h, s, four]);
  });
});

describe('colorJitter', () => {
  it('scales each image by its own brightness factor within the range', () => {
    const x = tf.fill([6, 2, 2, 3], 0.5);
    const y = colorJitter(x, { brightness: 0.4, generator: new Generator(1) });
    const v = y.dataSync();
    const perImage = Array.from({ length: 6 }, (_, k) => v[k * 12]!);
    perImage.forEach((p, k) => {
      expect(p).toBeGreaterThanOrEqual(0.5 * 0.6 - 1e-6);
      expect(p).toBeLessThanOrEqual(0.5 * 1.4 + 1e-6);
      for (let i = 0; i < 12; i++) expect(v[k * 12 + i]).toBeCloseTo(p, 6); // uniform within an image
    });
    expect(new Set(perImage.map((p) => p.toFixed(4))).size).toBe(6);
    tf.dispose([x, y]);
  });

  it('is the identity with no ranges and reproducible with a seed', () => {
    const x = tf.tidy(() => tf.div(tf.reshape(tf.range(0, 48, 1, 'float32'), [2, 2, 4, 3]), 48));
    const same = colorJitter(x);
    expectClose(same, x);
    const opts = { brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1 };
    const a = colorJitter(x, { ...opts, generator: new Generator(5) });
    const b = colorJitter(x, { ...opts, generator: new Generator(5) });
    expectClose(a, b, { atol: 0 });
    expect(Math.max(...a.dataSync())).toBeLessThanOrEqual(1);
    tf.dispose([x, same, a, b]);
  });
});
