import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { T, fixtures, randomBoxes, rng, scoped } from '../../test/helpers.js';
import { boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './box-iou.js';
import { pairwiseTensor } from './_pairwise.js';

describe('boxIou family', () => {
  it('matches hand-computed values', () =>
    scoped(() => {
      const a = tf.tensor2d([[0, 0, 10, 10]]);
      const b = tf.tensor2d([[5, 0, 15, 10], [20, 20, 30, 30], [0, 0, 10, 10]]);
      expectClose(boxIou(a, b), [[1 / 3, 0, 1]]);
      // giou of the disjoint pair: 0 - (900 - 200) / 900
      expectClose(generalizedBoxIou(a, b), [[1 / 3, -700 / 900, 1]]);
      // diou: centres 5 apart, enclosing diagonal² = 15² + 10²
      expectClose(distanceBoxIou(a, b), [[1 / 3 - 25 / 325, -(2 * 400) / (2 * 900), 1]], { atol: 1e-6 });
      const c = completeBoxIou(tf.tensor2d([[0, 0, 2, 2]]), tf.tensor2d([[0, 0, 2, 4]]));
      const v = (4 / Math.PI ** 2) * (Math.atan(1) - Math.atan(0.5)) ** 2;
      const iou = 0.5;
      expectClose(c, [[iou - 1 / 20 - (v / (1 - iou + v)) * v]], { atol: 1e-6 });
    }));

  for (const kind of ['iou', 'giou', 'diou', 'ciou'] as const) {
    it(`${kind}: values (fused kernel) and gradients (tensor composition) match torchvision`, () =>
      scoped(() => {
        const fx = fixtures[`pairwise_${kind}`];
        const [b1, b2, seed] = [T(fx.boxes1), T(fx.boxes2), T(fx.seed)];
        expectClose(boxIou(b1, b2, { kind }), T(fx.value), { atol: 1e-5 });
        const [g1, g2] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(boxIou(p, q, { kind }), seed)))([b1, b2]);
        expectClose(g1!, T(fx.grad1), { atol: 1e-4, rtol: 1e-3 });
        expectClose(g2!, T(fx.grad2), { atol: 1e-4, rtol: 1e-3 });
      }));
  }

  it('the fused kernel agrees with the tensor composition on random boxes', () =>
    scoped(() => {
      const next = rng(3);
      const a = tf.tensor2d(randomBoxes(next, 40), [40, 4]);
      const b = tf.tensor2d(randomBoxes(next, 33), [33, 4]);
      for (const kind of ['iou', 'giou', 'diou', 'ciou'] as const) {
        expectClose(boxIou(a, b, { kind }), pairwiseTensor(a, b, kind, 1e-7), { atol: 1e-5 });
      }
    }));

  it('the sparse IoU kernel (many strips, overlapping and disjoint boxes) equals a direct computation', () =>
    scoped(() => {
      const next = rng(8);
      const [n, m] = [150, 700];
      const a = randomBoxes(next, n, 400, 1, 120);
      const b = randomBoxes(next, m, 400, 0.5, 60);
      const want = new Float32Array(n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const w = Math.max(0, Math.min(a[4 * i + 2]!, b[4 * j + 2]!) - Math.max(a[4 * i]!, b[4 * j]!));
          const h = Math.max(0, Math.min(a[4 * i + 3]!, b[4 * j + 3]!) - Math.max(a[4 * i + 1]!, b[4 * j + 1]!));
          const areaA = (a[4 * i + 2]! - a[4 * i]!) * (a[4 * i + 3]! - a[4 * i + 1]!);
          const areaB = (b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!);
          want[i * m + j] = (w * h) / (areaA + areaB - w * h);
        }
      }
      expectClose(boxIou(tf.tensor2d(a, [n, 4]), tf.tensor2d(b, [m, 4])), want, { atol: 1e-6 });
    }));

  it('two empty boxes give NaN (0/0) as torchvision; an empty box against a real one gives 0', () =>
    scoped(() => {
      const got = boxIou(tf.tensor2d([[5, 5, 5, 5], [0, 0, 2, 2]]), tf.tensor2d([[5, 5, 5, 5], [1, 1, 3, 3]])).dataSync();
      expect(Number.isNaN(got[0])).toBe(true);
      expect(Array.from(got.slice(1))).toEqual([0, 0, Math.fround(1 / 7)]);
    }));

  it('handles empty sets and releases intermediates', () =>
    scoped(async () => {
      const a = tf.tensor2d([[0, 0, 1, 1]]);
      expect(boxIou(a, tf.zeros([0, 4])).shape).toEqual([1, 0]);
      expect(boxIou(tf.zeros([0, 4]), a, { kind: 'ciou' }).shape).toEqual([0, 1]);
      await expectNoLeaks(() => tf.keep(boxIou(a, a, { kind: 'giou' })));
      await expectNoLeaks(() => {
        const g = tf.grad((p: tf.Tensor) => tf.sum(boxIou(p, a, { kind: 'ciou' })))(a);
        return tf.keep(g);
      });
    }));

  it('rejects bad shapes and options', () =>
    scoped(() => {
      const a = tf.zeros([2, 4]);
      expect(() => boxIou(a, tf.zeros([3, 5]))).toThrow(/boxIou: boxes2 must be shape \[M, 4\], got shape \[3, 5\]/);
      expect(() => boxIou(a, a, { kind: 'xiou' as 'iou' })).toThrow(/boxIou: options.kind must be one of 'iou', 'giou', 'diou', 'ciou', got 'xiou'/);
      expect(() => boxIou(a, a, { eps: -1 })).toThrow(/boxIou: options.eps must be a finite number >= 0, got -1/);
    }));
});
