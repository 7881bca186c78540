import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { T, close, fixtures, read, scoped } from '../../test/helpers.js';
import { checkRoiBoxes } from './check-roi-boxes.js';
import { roiAlign } from './roi-align.js';
import { roiPool } from './roi-pool.js';

async function check(fx: { input: never; rois: never; seed: never; output: { data: number[] }; grad: { data: number[] } }, op: (x: tf.Tensor, r: tf.Tensor) => tf.Tensor): Promise<void> {
  const [x, rois, seed] = [T(fx.input), T(fx.rois), T(fx.seed)];
  const f = (v: tf.Tensor) => nhwcToNchw(op(nchwToNhwc(v), rois));
  close(await read(f(x)), fx.output.data, 1e-5);
  close(await read(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), seed)))(x)), fx.grad.data, 1e-4);
}

describe(`RoI ops on ${tf.getBackend()}`, () => {
  it('roiAlign forward and backward match torchvision', () =>
    scoped(async () => {
      for (const name of ['roi_align_a', 'roi_align_b']) {
        const a = fixtures[name].attrs;
        await check(fixtures[name], (x, r) => roiAlign(x, r, { outputSize: a.output_size, spatialScale: a.spatial_scale, samplingRatio: a.sampling_ratio, aligned: a.aligned }));
      }
    }));

  it('roiPool forward and backward match torchvision', () =>
    scoped(async () => {
      const fx = fixtures.roi_pool;
      await check(fx, (x, r) => roiPool(x, r, { outputSize: fx.attrs.output_size, spatialScale: fx.attrs.spatial_scale }));
    }));

  it('an out-of-range batch index: an error on CPU/WASM, zeros on WebGPU, checkRoiBoxes everywhere', () =>
    scoped(async () => {
      const x = tf.ones([1, 4, 4, 2]);
      const rois = tf.tensor2d([[3, 0, 0, 2, 2]]);
      if (tf.getBackend() === 'webgpu') {
        expect(await read(roiAlign(x, rois, { outputSize: 1 }))).toEqual([0, 0]);
      } else {
        expect(() => roiAlign(x, rois, { outputSize: 1 })).toThrow(/got 3 at row 0/);
      }
      await expect(checkRoiBoxes(rois, 1)).rejects.toThrow(/checkRoiBoxes: boxes must be batch indices \(column 0\) that are integers in \[0, 1\), got 3 at row 0/);
    }));
});
