import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { depthToNormals } from './depth-to-normals.js';

describe('depthToNormals', () => {
  it('gives (0, 0, -1) for a fronto-parallel plane, in both projections', () => {
    const depth = tf.fill([2, 4, 5], 3);
    for (const projection of ['perspective', 'orthographic'] as const) {
      const n = depthToNormals(depth, { fx: 10, fy: 12, projection });
      expect(n.shape).toEqual([2, 4, 5, 3]);
      expectClose(n, Array.from({ length: 40 }, () => [0, 0, -1]).flat(), { atol: 1e-6 });
      n.dispose();
    }
    depth.dispose();
  });

  it('recovers the normal of a tilted plane (orthographic: Z = a·X + c)', () => {
    // X = u - cx with fx = 1, so Z = 3 + 0.5·u is the plane z = 0.5 x + const; its normal ∝ (0.5, 0, -1)
    const depth = tf.tidy(() => tf.add(3, tf.mul(0.5, tf.tile(tf.reshape(tf.range(0, 6), [1, 1, 6]), [1, 4, 1]))));
    const n = depthToNormals(depth, { fx: 1, fy: 1, projection: 'orthographic' });
    const k = 1 / Math.hypot(0.5, 1);
    expectClose(n, Array.from({ length: 24 }, () => [0.5 * k, 0, -k]).flat(), { atol: 1e-5 });
    tf.dispose([depth, n]);
  });

  it('is differentiable in depth', () => {
    const depth = tf.tidy(() => tf.add(2, tf.randomUniform([1, 3, 3], 0, 0.1, 'float32', 1)));
    const g = tf.grad((d: tf.Tensor) => tf.sum(tf.slice(depthToNormals(d, { fx: 5, fy: 5 }), [0, 0, 0, 0], [1, 3, 3, 1])))(depth);
    expect(g.shape).toEqual([1, 3, 3]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([depth, g]);
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => depthToNormals(tf.ones([1, 1, 4]), { fx: 1, fy: 1 })).toThrow(/depthToNormals: depth must be H >= 2 and W >= 2, got shape \[1, 1, 4\]/);
      expect(() => depthToNormals(tf.ones([1, 3, 4]), { fx: 0, fy: 1 })).toThrow(/options.fx must be a finite number > 0, got 0/);
    });
  });
});
