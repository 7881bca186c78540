import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { voxelIou } from './voxel-iou.js';

describe('voxelIou', () => {
  it('counts probabilities at the threshold as occupied and empty-vs-empty as 1', () => {
    const pred = tf.tensor4d([0.5, 0.49, 0.9, 0.1, 0, 0, 0, 0], [2, 1, 2, 2]);
    const gt = tf.tensor4d([1, 0, 0, 1, 0, 0, 0, 0], [2, 1, 2, 2], 'bool');
    const iou = voxelIou(pred, gt);
    expectClose(iou, [1 / 3, 1]);
    tf.dispose([pred, gt, iou]);
  });

  it('accepts numeric ground truth and a custom threshold', () => {
    const pred = tf.tensor4d([0.3, 0.2, 0.7, 0.1], [1, 1, 2, 2]);
    const gt = tf.tensor4d([1, 1, 1, 0], [1, 1, 2, 2]);
    const iou = voxelIou(pred, gt, { threshold: 0.25 });
    expectClose(iou, [2 / 3]);
    tf.dispose([pred, gt, iou]);
  });

  it('handles empty batches and grids', () => {
    tf.tidy(() => {
      expect(voxelIou(tf.zeros([0, 2, 2, 2]), tf.zeros([0, 2, 2, 2], 'bool')).shape).toEqual([0]);
      expectClose(voxelIou(tf.zeros([2, 0, 2, 2]), tf.zeros([2, 0, 2, 2], 'bool')), [1, 1]);
    });
  });

  it('rejects mismatched shapes', () => {
    tf.tidy(() => {
      expect(() => voxelIou(tf.zeros([1, 2, 2, 2]), tf.zeros([1, 2, 2, 3], 'bool'))).toThrow(/voxelIou: gt must be shape \[1, 2, 2, 2\]/);
    });
  });
});
