import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { T, fixtures, rng, scoped } from '../../test/helpers.js';
import { checkRoiBoxes } from './check-roi-boxes.js';
import { RoIAlign, roiAlign, type RoiAlignOptions } from './roi-align.js';
import { RoIPool, roiPool } from './roi-pool.js';

type Fx = { input: never; rois: never; seed: never; output: never; grad: never; attrs: Record<string, unknown> };

/** Runs a fixture in PyTorch layout through an NHWC op: output and input gradient. */
function torchLayout(fx: Fx, op: (x: tf.Tensor, r: tf.Tensor) => tf.Tensor): void {
  const [x, rois, seed] = [T(fx.input), T(fx.rois), T(fx.seed)];
  const f = (v: tf.Tensor) => nhwcToNchw(op(nchwToNhwc(v), rois));
  expectClose(f(x), T(fx.output), { atol: 1e-5 });
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), seed)))(x);
  expectClose(g, T(fx.grad), { atol: 1e-4, rtol: 1e-4 });
}

function alignOpts(a: Record<string, unknown>): RoiAlignOptions {
  return { outputSize: a.output_size as [number, number], spatialScale: a.spatial_scale as number, samplingRatio: a.sampling_ratio as number, aligned: a.aligned as boolean };
}

describe('roiAlign', () => {
  it('samples the bilinear value at bin centres', () =>
    scoped(() => {
      const fmap = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]); // v(y, x) = 4y + x
      expectClose(roiAlign(fmap, tf.tensor2d([[0, 0, 0, 2, 2]]), { outputSize: 1, samplingRatio: 1 }), [5]);
      // aligned: shifted half a pixel, the centre of the box (0,0)-(2,2) is pixel (0.5, 0.5)
      expectClose(roiAlign(fmap, tf.tensor2d([[0, 0, 0, 2, 2]]), { outputSize: 1, samplingRatio: 1, aligned: true }), [2.5]);
    }));

  for (const name of ['roi_align_a', 'roi_align_b', 'roi_align_c']) {
    it(`matches torchvision with gradients: ${JSON.stringify(fixtures[name].attrs)}`, () =>
      scoped(() => torchLayout(fixtures[name], (x, r) => roiAlign(x, r, alignOpts(fixtures[name].attrs)))));
  }

  it('gradient agrees with finite differences', () =>
    scoped(() => {
      const next = rng(4);
      const x = tf.tensor4d(Float32Array.from({ length: 2 * 6 * 7 * 2 }, () => next() * 2 - 1), [2, 6, 7, 2]);
      const rois = tf.tensor2d([[1, 0.3, 1.2, 5.1, 4.4], [0, -1, 2, 3.3, 7.5]]);
      const seed = tf.tensor4d(Float32Array.from({ length: 2 * 3 * 2 * 2 }, () => next()), [2, 3, 2, 2]);
      const opts: RoiAlignOptions = { outputSize: [3, 2], samplingRatio: 2 };
      const loss = (v: tf.Tensor) => tf.sum(tf.mul(roiAlign(v, rois, opts), seed));
      const g = tf.grad(loss)(x).dataSync();
      const xd = x.dataSync();
      for (const i of [0, 17, 40, 55, 101, 150]) {
        const bump = (d: number) => {
          const y = Float32Array.from(xd);
          y[i] += d;
          return loss(tf.tensor4d(y, x.shape as [number, number, number, number])).dataSync()[0]!;
        };
        expect(Math.abs((bump(1e-2) - bump(-1e-2)) / 2e-2 - g[i]!)).toBeLessThan(2e-3);
      }
    }));

  it('takes one [K_i, 4] box tensor per image, handles K = 0, releases intermediates', () =>
    scoped(async () => {
      const x = tf.reshape(tf.range(0, 2 * 5 * 5 * 3), [2, 5, 5, 3]);
      const list = [tf.tensor2d([[0, 0, 3, 3]]), tf.tensor2d([[1, 1, 4, 4], [0, 0, 5, 5]])];
      const rows = tf.tensor2d([[0, 0, 0, 3, 3], [1, 1, 1, 4, 4], [1, 0, 0, 5, 5]]);
      expectClose(roiAlign(x, list, { outputSize: 2 }), roiAlign(x, rows, { outputSize: 2 }));
      expect(roiAlign(x, tf.zeros([0, 5]), { outputSize: [2, 3] }).shape).toEqual([0, 2, 3, 3]);
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(roiAlign(v, tf.zeros([0, 5]), { outputSize: 2 })))(x), tf.zerosLike(x));
      await expectNoLeaks(() => tf.keep(roiAlign(x, list, { outputSize: 2 })));
      await expectNoLeaks(() => tf.keep(tf.grad((v: tf.Tensor) => tf.sum(roiAlign(v, rows, { outputSize: 2 })))(x)));
      const m = new RoIAlign({ outputSize: 2, spatialScale: 0.5 });
      expectClose(m.forward(x, rows), roiAlign(x, rows, { outputSize: 2, spatialScale: 0.5 }));
    }));

  it('rejects an out-of-range batch index naming the row, and bad shapes', () =>
    scoped(() => {
      const x = tf.zeros([2, 4, 4, 1]);
      expect(() => roiAlign(x, tf.tensor2d([[0, 0, 0, 1, 1], [2, 0, 0, 1, 1]]), { outputSize: 2 })).toThrow(
        /roiAlign: boxes must be batch indices \(column 0\) that are integers in \[0, 2\), got 2 at row 1/,
      );
      expect(() => roiAlign(x, tf.tensor2d([[0.5, 0, 0, 1, 1]]), { outputSize: 2 })).toThrow(/got 0.5 at row 0/);
      expect(() => roiAlign(x, tf.zeros([3, 4]), { outputSize: 2 })).toThrow(/roiAlign: boxes must be shape \[K, 5\], got shape \[3, 4\]/);
      expect(() => roiAlign(tf.zeros([4, 4, 1]), tf.zeros([1, 5]), { outputSize: 2 })).toThrow(/roiAlign: input must be rank 4/);
      expect(() => roiAlign(x, tf.zeros([1, 5]), { outputSize: 0 })).toThrow(/roiAlign: options.outputSize must be an integer >= 1, got 0/);
      expect(() => roiAlign(x, [tf.zeros([1, 4])], { outputSize: 2 })).toThrow(/roiAlign: boxes must be one \[K_i, 4\] tensor per image \(2\), got 1 tensors/);
    }));
});

describe('roiPool', () => {
  it('takes the max of each bin', () =>
    scoped(() => {
      const fmap = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]);
      expectClose(roiPool(fmap, tf.tensor2d([[0, 0, 0, 3, 3]]), { outputSize: 2 }), [5, 7, 13, 15]);
    }));

  it('matches torchvision with gradients, including a roi outside the map (empty bins)', () =>
    scoped(() => {
      const fx = fixtures.roi_pool;
      torchLayout(fx, (x, r) => roiPool(x, r, { outputSize: fx.attrs.output_size, spatialScale: fx.attrs.spatial_scale }));
    }));

  it('sends the gradient to the first arg-max only', () =>
    scoped(() => {
      const x = tf.tensor4d([1, 3, 3, 2], [1, 2, 2, 1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(roiPool(v, tf.tensor2d([[0, 0, 0, 1, 1]]), { outputSize: 1 })))(x);
      expectClose(g, [0, 1, 0, 0]);
    }));

  it('Module wrapper, no leaks, errors', () =>
    scoped(async () => {
      const x = tf.reshape(tf.range(0, 2 * 6 * 6), [2, 6, 6, 1]);
      const rows = tf.tensor2d([[1, 0, 0, 5, 5]]);
      expectClose(new RoIPool({ outputSize: 3 }).forward(x, rows), roiPool(x, rows, { outputSize: 3 }));
      await expectNoLeaks(() => tf.keep(tf.grad((v: tf.Tensor) => tf.sum(roiPool(v, rows, { outputSize: 2 })))(x)));
      expect(() => roiPool(x, tf.tensor2d([[-1, 0, 0, 1, 1]]), { outputSize: 2 })).toThrow(/roiPool: boxes must be batch indices \(column 0\) that are integers in \[0, 2\), got -1 at row 0/);
      expect(() => roiPool(x, tf.tensor2d([[0, 0, NaN, 1, 1]]), { outputSize: 2 })).toThrow(/roiPool: boxes must be finite coordinates, got NaN at row 0/);
    }));
});

describe('checkRoiBoxes', () => {
  it('names the first bad row on any backend', () =>
    scoped(async () => {
      await checkRoiBoxes(tf.tensor2d([[0, 1, 1, 5, 5], [1, 0, 0, 4, 4]]), 2);
      await expect(checkRoiBoxes(tf.tensor2d([[0, 1, 1, 5, 5], [2, 0, 0, 4, 4]]), 2)).rejects.toThrow(/checkRoiBoxes: boxes must be batch indices \(column 0\) that are integers in \[0, 2\), got 2 at row 1/);
      await expect(checkRoiBoxes(tf.tensor2d([[0, 5, 1, 1, 5]]), 1)).rejects.toThrow(/checkRoiBoxes: boxes must be rows with x2 >= x1 and y2 >= y1, got \[0, 5, 1, 1, 5\] at row 0/);
    }));
});
