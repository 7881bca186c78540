import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { voxelIou } from '../voxels/voxel-iou.js';
import { depthToNormals } from './depth-to-normals.js';
import { projectPoints } from './pinhole-camera.js';
import { scaleInvariantDepthLoss } from './scale-invariant-depth-loss.js';

describe('depth and voxels on every backend', () => {
  it('scale-invariant loss with a mask, normals, projection, voxel IoU', async () => {
    const [loss, n, uv, iou] = tf.tidy(() => {
      const pred = tf.tensor3d([[[1, 2], [3, 4]]]);
      const target = tf.tensor3d([[[1, 1], [1, 1]]]);
      const mask = tf.tensor3d([[[1, 1], [0, 1]]], undefined, 'bool');
      return [
        scaleInvariantDepthLoss(pred, target, { mask, lambda: 0.5 }),
        depthToNormals(tf.fill([1, 3, 3], 2), { fx: 5, fy: 5 }),
        projectPoints(tf.tensor2d([[1, 0, 2]]), { fx: 100, fy: 100, cx: 64, cy: 48 }),
        voxelIou(tf.tensor4d([0.5, 0.2, 0.7, 0.1], [1, 1, 2, 2]), tf.tensor4d([1, 1, 0, 0], [1, 1, 2, 2], 'bool')),
      ];
    });
    // d = 0, 1, 3 on the valid pixels: 10/3 - 0.5·16/9
    expect(Math.abs((await loss!.data())[0]! - (10 / 3 - 8 / 9))).toBeLessThan(1e-5);
    expect(Array.from(await n!.data()).slice(0, 3)).toEqual([0, 0, -1]);
    expect(Array.from(await uv!.data())).toEqual([114, 48]);
    expect(Math.abs((await iou!.data())[0]! - 1 / 3)).toBeLessThan(1e-6);
    tf.dispose([loss!, n!, uv!, iou!]);
  });
});
