import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { T, fixtures, scoped } from '../../test/helpers.js';
import { boxIouLoss, completeBoxIouLoss, distanceBoxIouLoss, generalizedBoxIouLoss } from './box-iou-loss.js';

describe('IoU losses', () => {
  it('match hand-computed values', () =>
    scoped(() => {
      const p = tf.tensor2d([[0, 0, 10, 10], [0, 0, 1, 1]]);
      const g = tf.tensor2d([[5, 0, 15, 10], [2, 0, 3, 1]]);
      expectClose(generalizedBoxIouLoss(p, g), [1 - 1 / 3, 1 + (3 - 2) / 3], { atol: 1e-6 });
      expectClose(distanceBoxIouLoss(p, g), [1 - 1 / 3 + 25 / 325, 1 + 4 / 10], { atol: 1e-6 });
      expectClose(generalizedBoxIouLoss(p, g, { reduction: 'sum' }), 1 - 1 / 3 + 1 + 1 / 3, { atol: 1e-6 });
      expectClose(completeBoxIouLoss(p, g, { reduction: 'mean' }), tf.mean(completeBoxIouLoss(p, g)), { atol: 1e-7 });
      expectClose(boxIouLoss('giou', tf.zeros([0, 4]), tf.zeros([0, 4]), { reduction: 'mean' }), 0);
    }));

  for (const kind of ['giou', 'diou', 'ciou'] as const) {
    it(`${kind}: identical and touching boxes, gradients split at ties like torch`, () =>
      scoped(() => {
        const fx = fixtures[`loss_ties_${kind}`];
        const [p, g] = [T(fx.boxes1), T(fx.boxes2)];
        expectClose(boxIouLoss(kind, p, g), T(fx.loss), { atol: 1e-6 });
        const [gp, gg] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(boxIouLoss(kind, a, b)))([p, g]);
        expectClose(gp!, T(fx.grad1), { atol: 1e-5, rtol: 1e-4 });
        expectClose(gg!, T(fx.grad2), { atol: 1e-5, rtol: 1e-4 });
      }));
  }

  it('ciou treats alpha as a constant: its gradient differs from differentiating alpha', () =>
    scoped(() => {
      const p = tf.tensor2d([[0, 0, 4, 2]]);
      const g = tf.tensor2d([[1, 0, 3, 6]]);
      const grad = tf.grad((a: tf.Tensor) => completeBoxIouLoss(a, g))(p);
      // finite differences of the full expression include d(alpha); the library's gradient must not
      const loss = (b: number[]): number => completeBoxIouLoss(tf.tensor2d([b]), g).dataSync()[0]!;
      const h = 1e-2;
      const fd = (loss([0, 0, 4 + h, 2]) - loss([0, 0, 4 - h, 2])) / (2 * h);
      expect(Math.abs(grad.dataSync()[2]! - fd)).toBeGreaterThan(1e-4);
    }));

  it('releases intermediates and rejects mismatched pairs', () =>
    scoped(async () => {
      const p = tf.tensor2d([[0, 0, 10, 10]]);
      await expectNoLeaks(() => tf.keep(boxIouLoss('ciou', p, p)));
      expect(() => boxIouLoss('giou', p, tf.zeros([2, 4]))).toThrow(/boxIouLoss: boxes2 must be shape \[N, 4\] with N = 1, got shape \[2, 4\]/);
      expect(() => boxIouLoss('iou' as 'giou', p, p)).toThrow(/boxIouLoss: kind must be one of 'giou', 'diou', 'ciou', got 'iou'/);
    }));
});
