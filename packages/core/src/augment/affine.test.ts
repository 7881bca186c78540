import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { affine, inverseAffineMatrix, rotate } from './affine.js';
import { gridSample } from './grid-sample.js';

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/data_augment.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;
const ten = (x: unknown) => tf.tensor((x as T).data, (x as T).shape, 'float32');

describe('gridSample', () => {
  it('matches torch.nn.functional.grid_sample for every mode, padding and align_corners', () => {
    for (const c of fx.grid_sample!) {
      const [input, grid] = [ten(c.input), ten(c.grid)];
      const y = gridSample(input, grid, { mode: c.mode as 'bilinear', paddingMode: c.padding as 'zeros', alignCorners: c.align as boolean });
      expect(y.shape).toEqual((c.output as T).shape);
      expectClose(y, (c.output as T).data, { atol: 1e-5 });
      tf.dispose([input, grid, y]);
    }
  });

  it('rejects mismatched shapes', () => {
    const x = tf.zeros([2, 4, 4, 1]);
    const g = tf.zeros([3, 4, 4, 2]);
    expect(() => gridSample(x, g)).toThrow('gridSample: grid must be shape [N, *, *, 2] with N = 2, got shape [3, 4, 4, 2]');
    tf.dispose([x, g]);
  });
});

describe('affine and rotate', () => {
  it('match torchvision F.affine (bilinear and nearest, with and without fill)', () => {
    for (const c of fx.affine!) {
      const p = c.params as { angle: number; translate: [number, number]; scale: number; shear: [number, number] };
      const x = ten(c.input);
      const y = affine(x, p, { interpolation: c.interpolation as 'bilinear', ...(c.fill ? { fill: c.fill as number[] } : {}) });
      // nearest can flip a tap where a source coordinate lands on a .5 boundary in float32: allow a few pixels
      if (c.interpolation === 'nearest') {
        const got = y.dataSync();
        const want = (c.output as T).data;
        const bad = want.filter((v, i) => Math.abs(v - got[i]!) > 1e-5).length;
        expect(bad, JSON.stringify(p)).toBeLessThanOrEqual(3);
      } else {
        expectClose(y, (c.output as T).data, { atol: 2e-5 });
      }
      tf.dispose([x, y]);
    }
  });

  it('match torchvision F.rotate (counter-clockwise)', () => {
    for (const c of fx.rotate!) {
      const x = ten(c.input);
      const y = rotate(x, c.angle as number);
      expectClose(y, (c.output as T).data, { atol: 2e-5 });
      tf.dispose([x, y]);
    }
  });

  it('rotating a square image by 90° equals a transpose and a flip', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 2 * 5 * 5 * 2, 1, 'float32'), [2, 5, 5, 2]));
    const r = rotate(x, 90);
    // counter-clockwise: out[i][j] = in[j][W-1-i]  ⇔  reverse columns, then transpose H and W
    const want = tf.tidy(() => tf.transpose(tf.reverse(x, 2), [0, 2, 1, 3]));
    expectClose(r, want, { atol: 1e-4 });
    const perImage = rotate(x, [90, 0]);
    expectClose(perImage.dataSync().slice(50), x.dataSync().slice(50), { atol: 1e-5 });
    tf.dispose([x, r, want, perImage]);
  });

  it('translates by whole pixels exactly, filling the uncovered border', () => {
    const x = tf.tidy(() => tf.add(tf.reshape(tf.range(0, 16, 1, 'float32'), [1, 4, 4, 1]), 1));
    const y = affine(x, { translate: [1, 2] }, { fill: -1 });
    expect(y.arraySync()).toEqual([[[[-1], [-1], [-1], [-1]], [[-1], [-1], [-1], [-1]], [[-1], [1], [2], [3]], [[-1], [5], [6], [7]]]]);
    tf.dispose([x, y]);
    expect(inverseAffineMatrix({ scale: [2, 4] }).map((v) => v + 0)).toEqual([0.5, 0, 0, 0, 0.25, 0]);
  });

  it('rejects bad parameters', () => {
    const x = tf.zeros([2, 4, 4, 3]);
    expect(() => affine(x, [{ angle: 1 }])).toThrow('affine: params must be one parameter set or N = 2 of them, got 1');
    expect(() => affine(x, { scale: 0 })).toThrow('affine: params.scale must be a finite number > 0, got 0');
    expect(() => affine(x, {}, { fill: [1, 2] })).toThrow('affine: opts.fill must be a number or 3 numbers (one per channel), got 2 numbers');
    const flat = tf.zeros([4, 4]);
    expect(() => rotate(flat, 3)).toThrow(/affine: images must be rank 4/);
    tf.dispose([x, flat]);
  });
});
