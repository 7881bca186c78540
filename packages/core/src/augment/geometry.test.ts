import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { affine, rotate } from './affine.js';
import { lensDistortion, randomLensDistortion } from './lens-distortion.js';
import { randomAffine } from './random-affine.js';
import { randomRotation } from './random-rotation.js';
import { randomShear } from './random-shear.js';
import { randomStretch } from './random-stretch.js';
import { randomTranslation } from './random-translation.js';

function coded(n: number, h: number, w: number): tf.Tensor4D {
  const d = new Float32Array(n * h * w);
  for (let k = 0; k < n; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[(k * h + y) * w + x] = 100 * y + x + 1;
  return tf.tensor4d(d, [n, h, w, 1]);
}

describe('random geometric augmentations', () => {
  it('randomTranslation shifts each image by whole pixels and fills the rest', () => {
    const x = coded(5, 7, 7);
    const y = randomTranslation(x, [0.3, 0.3], { fill: 0, generator: new Generator(4) });
    const shifts = new Set<string>();
    (y.arraySync() as number[][][][]).forEach((img) => {
      // find the shift from any non-fill pixel, then every pixel must agree with it
      let dx = 0;
      let dy = 0;
      outer: for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) if (img[i]![j]![0]! > 0) {
        const v = img[i]![j]![0]! - 1;
        dy = i - Math.floor(v / 100);
        dx = j - (v % 100);
        break outer;
      }
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      shifts.add(`${dx},${dy}`);
      img.forEach((row, i) =>
        row.forEach((p, j) => {
          const [sy, sx] = [i - dy, j - dx];
          const inside = sy >= 0 && sy < 7 && sx >= 0 && sx < 7;
          expect(p[0]).toBeCloseTo(inside ? 100 * sy + sx + 1 : 0, 3);
        }),
      );
    });
    expect(shifts.size).toBeGreaterThan(1);
    tf.dispose([x, y]);
  });

  it('randomRotation by exactly 90° is a quarter turn and keeps the centre pixel', () => {
    const x = coded(2, 5, 5);
    const y = randomRotation(x, [90, 90]);
    const want = rotate(x, 90);
    expectClose(y, want, { atol: 1e-4 });
    const z = randomRotation(x, 40, { generator: new Generator(3) });
    const centre = tf.slice(z, [0, 2, 2, 0], [2, 1, 1, 1]);
    expectClose(centre, [100 * 2 + 2 + 1, 100 * 2 + 2 + 1], { atol: 1e-3 });
    tf.dispose([x, y, want, z, centre]);
  });

  it('randomStretch and randomShear apply the affine maps they sample', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 2 * 9 * 9, 1, 'float32'), [2, 9, 9, 1]));
    const s = randomStretch(x, [2, 2]);
    const want = affine(x, { scale: 2 }, { fill: 0 });
    expectClose(s, want, { atol: 1e-3 });
    const sh = randomShear(x, [20, 20]);
    const wantSh = affine(x, { shear: [20, 0] }, { fill: 0 });
    expectClose(sh, wantSh, { atol: 1e-3 });
    tf.dispose([x, s, want, sh, wantSh]);
  });

  it('randomAffine is reproducible from a seed and differs per image', () => {
    const x = tf.tidy(() => tf.tile(coded(1, 8, 8), [3, 1, 1, 1]));
    const opts = { degrees: 20, translate: [0.1, 0.1] as [number, number], scale: [0.8, 1.2] as [number, number], shear: [-5, 5, -5, 5] as [number, number, number, number] };
    const a = randomAffine(x, { ...opts, generator: new Generator(9) });
    const b = randomAffine(x, { ...opts, generator: new Generator(9) });
    expectClose(a, b, { atol: 0 });
    const sums = tf.sum(a, [1, 2, 3]);
    const [s0, s1] = sums.dataSync();
    expect(Math.abs(s0! - s1!)).toBeGreaterThan(1);
    tf.dispose([x, a, b, sums]);
    const bad = tf.zeros([1, 4, 4, 1]);
    expect(() => randomAffine(bad, { translate: [2, 0] })).toThrow('randomAffine: opts.translate[0] must be a finite number >= 0 <= 1, got 2');
    expect(() => randomTranslation(bad, [1.5, 0])).toThrow(/randomTranslation: opts.translate\[0\] must be a finite number >= 0 <= 1, got 1.5/);
    tf.dispose(bad);
  });
});

describe('lens distortion', () => {
  it('samples each output pixel from radius ρ·(1 + kρ²) (read back through coordinate ramps)', () => {
    const [h, w] = [9, 13];
    // channel 0 holds x, channel 1 holds y: bilinear sampling of a ramp returns the source coordinate itself
    const ramps = tf.tidy(() => {
      const xs = tf.tile(tf.reshape(tf.range(0, w, 1, 'float32'), [1, 1, w, 1]), [1, h, 1, 1]);
      const ys = tf.tile(tf.reshape(tf.range(0, h, 1, 'float32'), [1, h, 1, 1]), [1, 1, w, 1]);
      return tf.concat([xs, ys], 3);
    });
    const k = 0.15;
    const outT = lensDistortion(ramps, k, { fill: -1 });
    const out = outT.arraySync() as number[][][][];
    const r = Math.max(h, w) / 2;
    let checked = 0;
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const u = (j + 0.5 - w / 2) / r;
        const v = (i + 0.5 - h / 2) / r;
        const f = 1 + k * (u * u + v * v);
        const sx = u * f * r + w / 2 - 0.5;
        const sy = v * f * r + h / 2 - 0.5;
        if (sx < 0 || sx > w - 1 || sy < 0 || sy > h - 1) continue;
        expect(out[0]![i]![j]![0]).toBeCloseTo(sx, 3);
        expect(out[0]![i]![j]![1]).toBeCloseTo(sy, 3);
        checked++;
      }
    expect(checked).toBeGreaterThan(60);
    // barrel (k > 0) reads outside at the corners; pincushion (k < 0) never does
    expect(out[0]![0]![0]![0]).toBe(-1);
    const pin = lensDistortion(ramps, -0.15, { fill: -1 });
    expect(Math.min(...pin.dataSync())).toBeGreaterThanOrEqual(0);
    const same = lensDistortion(ramps, 0);
    expectClose(same, ramps, { atol: 1e-5 });
    const three = tf.tile(ramps, [3, 1, 1, 1]);
    const rnd = randomLensDistortion(three, { strength: 0.3, generator: new Generator(0) });
    expect(rnd.shape).toEqual([3, h, w, 2]);
    tf.dispose([ramps, outT, pin, same, three, rnd]);
  });
});
