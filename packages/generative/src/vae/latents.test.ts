import * as tf from '@tensorflow/tfjs-core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { editLatents, latentTraversal } from './edit-latents.js';
import { interpolateLatents } from './interpolate-latents.js';

describe('interpolateLatents', () => {
  it('linear paths include both ends, batched and not', () => {
    tf.tidy(() => {
      expectClose(interpolateLatents(tf.tensor1d([0, 2]), tf.tensor1d([4, 0]), 5), [[0, 2], [1, 1.5], [2, 1], [3, 0.5], [4, 0]]);
      const p = interpolateLatents(tf.tensor2d([[0], [1]]), tf.tensor2d([[1], [3]]), 3);
      expect(p.shape).toEqual([2, 3, 1]);
      expectClose(p, tf.tensor3d([[[0], [0.5], [1]], [[1], [2], [3]]]));
    });
  });

  it('slerp follows the great circle and falls back to linear for parallel codes', () => {
    tf.tidy(() => {
      const p = interpolateLatents(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 3, { method: 'slerp' });
      expectClose(p, [[1, 0], [Math.SQRT1_2, Math.SQRT1_2], [0, 1]]);
      const norms = values(tf.norm(p, 'euclidean', 1));
      for (const n of norms) expect(n).toBeCloseTo(1, 5);
      expectClose(interpolateLatents(tf.tensor1d([1, 1]), tf.tensor1d([2, 2]), 3, { method: 'slerp' }), [[1, 1], [1.5, 1.5], [2, 2]]);
    });
  });

  it('validates', () => {
    tf.tidy(() => {
      expect(() => interpolateLatents(tf.zeros([2]), tf.zeros([3]), 4)).toThrow(/interpolateLatents: z1 must be the shape of z0 \[2\], got shape \[3\]/);
      expect(() => interpolateLatents(tf.zeros([2]), tf.zeros([2]), 1)).toThrow(/steps must be an integer >= 2, got 1/);
    });
  });
});

describe('editLatents and latentTraversal', () => {
  it('set and shift dimensions', () => {
    tf.tidy(() => {
      expectClose(editLatents(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), [{ dim: 1, value: 0 }, { dim: 2, delta: 10 }, { dim: 0, value: 7, delta: 1 }]), [[8, 0, 13], [8, 0, 16]]);
      expectClose(latentTraversal(tf.tensor1d([1, 2, 3]), 2, [-1, 0, 1]), [[1, 2, -1], [1, 2, 0], [1, 2, 1]]);
      expectClose(latentTraversal(tf.tensor1d([5]), 0, [2]), [[2]]);
      expect(() => editLatents(tf.zeros([1, 3]), [{ dim: 3, value: 0 }])).toThrow(/editLatents: edits\[0\].dim must be an integer >= 0 <= 2, got 3/);
      expect(() => latentTraversal(tf.zeros([3]), 0, [])).toThrow(/latentTraversal: values must be a non-empty array/);
    });
  });
});
