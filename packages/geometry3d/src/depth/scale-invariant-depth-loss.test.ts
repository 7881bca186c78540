import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { scaleInvariantDepthLoss } from './scale-invariant-depth-loss.js';

/** Eigen et al. eq. 4 over the masked pixels, averaged over the batch (reference). */
function reference(d: number[][], lambda: number): number {
  return d.reduce((acc, di) => {
    const n = di.length;
    const s1 = di.reduce((a, x) => a + x * x, 0);
    const s2 = di.reduce((a, x) => a + x, 0);
    return acc + s1 / n - (lambda * s2 * s2) / (n * n);
  }, 0) / d.length;
}

describe('scaleInvariantDepthLoss', () => {
  it('matches eq. 4 with and without a mask, and its gradient', () => {
    const g = new Generator(8);
    const pred = randn([2, 3, 4], { generator: g });
    const target = randn([2, 3, 4], { generator: g });
    const maskArr = Array.from({ length: 24 }, (_, i) => i % 3 !== 1);
    const mask = tf.tensor3d(maskArr.map(Number), [2, 3, 4], 'bool');
    const p = Array.from(pred.dataSync());
    const t = Array.from(target.dataSync());
    const diff = (b: number, masked: boolean): number[] =>
      Array.from({ length: 12 }, (_, i) => b * 12 + i).filter((i) => !masked || maskArr[i]).map((i) => p[i]! - t[i]!);
    for (const lambda of [0, 0.5, 1]) {
      const l1 = scaleInvariantDepthLoss(pred, target, { lambda });
      expectClose(l1, [reference([diff(0, false), diff(1, false)], lambda)], { atol: 1e-6 });
      const l2 = scaleInvariantDepthLoss(pred, target, { lambda, mask });
      expectClose(l2, [reference([diff(0, true), diff(1, true)], lambda)], { atol: 1e-6 });
      tf.dispose([l1, l2]);
    }
    // gradient: d/dpred_i = (1/B)(2 d_i/n - 2λ Σd / n²) on valid pixels, 0 elsewhere
    const grad = tf.grad((x: tf.Tensor) => scaleInvariantDepthLoss(x, target, { lambda: 0.5, mask }))(pred);
    const want: number[] = [];
    for (let b = 0; b < 2; b++) {
      const d = diff(b, true);
      const n = d.length;
      const s = d.reduce((a, x) => a + x, 0);
      for (let i = 0; i < 12; i++) {
        const k = b * 12 + i;
        want.push(maskArr[k] ? (2 * (p[k]! - t[k]!)) / n / 2 - (0.5 * 2 * s) / (n * n) / 2 : 0);
      }
    }
    expectClose(grad, want, { atol: 1e-6 });
    tf.dispose([pred, target, mask, grad]);
  });

  it('is invariant to a global scale of the depths when lambda = 1', () => {
    const target = tf.tensor3d([[[0.1, 0.7], [1.2, -0.3]]]);
    const pred = tf.add(target, 2.5);
    const l = scaleInvariantDepthLoss(pred, target, { lambda: 1 });
    expectClose(l, [0], { atol: 1e-6 });
    tf.dispose([target, pred, l]);
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => scaleInvariantDepthLoss(tf.zeros([1, 2, 2]), tf.zeros([1, 2, 3]))).toThrow(/scaleInvariantDepthLoss: target must be shape \[B, H, W\] with B = 1, H = 2, W = 2/);
      expect(() => scaleInvariantDepthLoss(tf.zeros([1, 2, 2]), tf.zeros([1, 2, 2]), { lambda: NaN })).toThrow(/options.lambda must be a finite number/);
    });
  });
});
