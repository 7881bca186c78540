import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { PinholeCamera, depthToPoints, projectPoints, unprojectPoints } from './pinhole-camera.js';

const K = { fx: 100, fy: 80, cx: 64, cy: 48 };

describe('pinhole camera', () => {
  it('projects and unprojects consistently', () => {
    const pts = tf.tensor2d([[1, -0.5, 2], [0, 0, 5], [-2, 1, 4]]);
    const uv = projectPoints(pts, K);
    expectClose(uv, [114, 28, 64, 48, 14, 68]);
    const depth = tf.tensor1d([2, 5, 4]);
    const back = unprojectPoints(uv, depth, K);
    expectClose(back, pts, { atol: 1e-5 });
    tf.dispose([pts, uv, depth, back]);
  });

  it('back-projects a depth map pixel by pixel', () => {
    const depth = tf.tensor3d([[[2, 4], [1, 3]]]);
    const pts = depthToPoints(depth, { fx: 2, fy: 2, cx: 0.5, cy: 0.5 });
    expectClose(pts, [-0.5, -0.5, 2, 1, -1, 4, -0.25, 0.25, 1, 0.75, 0.75, 3]);
    tf.dispose([depth, pts]);
  });

  it('looks at a target: the target projects to the principal point at its distance', () => {
    const cam = PinholeCamera.lookAt([1, 2, -3], [0, 0, 0], [0, 1, 0], { ...K, width: 128, height: 96 });
    const target = tf.tensor2d([[0, 0, 0], [0, 1, 0]]);
    const { uv, depth } = cam.project(target);
    tf.tidy(() => {
      expectClose(tf.slice(uv, [0, 0], [1, 2]), [64, 48], { atol: 1e-4 });
      expectClose(tf.slice(depth, [0], [1]), [Math.hypot(1, 2, 3)], { atol: 1e-5 });
    });
    // world up is image up: a point above the target has a smaller row
    expect(uv.dataSync()[3]!).toBeLessThan(48);
    const back = cam.unproject(uv, depth);
    expectClose(back, target, { atol: 1e-4 });
    tf.tidy(() => expectClose(cam.toNdc(tf.tensor2d([[0, 0], [127, 95]])), [-1, -1, 1, 1], { atol: 1e-6 }));
    tf.dispose([target, uv, depth, back]);
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => projectPoints(tf.zeros([2, 2]), K)).toThrow(/projectPoints: points must be shape \[..., 3\]/);
      expect(() => projectPoints(tf.zeros([2, 3]), { ...K, fx: -1 })).toThrow(/intrinsics.fx must be a finite number > 0/);
      expect(() => new PinholeCamera({ ...K, width: 10, height: 10, R: [[1, 0], [0, 1]] })).toThrow(/options.R must be a 3×3 array/);
      expect(() => PinholeCamera.lookAt([0, 0, 0], [0, 0, 0], [0, 1, 0], { ...K, width: 1, height: 1 })).toThrow(/PinholeCamera.lookAt/);
    });
  });
});
