import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { T, close, fixtures, read, scoped } from '../../test/helpers.js';
import { boxIou } from './box-iou.js';
import { boxIouLoss } from './box-iou-loss.js';

describe(`IoU family on ${tf.getBackend()}`, () => {
  it('pairwise matrices and gradients match torchvision', () =>
    scoped(async () => {
      for (const kind of ['iou', 'giou', 'diou', 'ciou'] as const) {
        const fx = fixtures[`pairwise_${kind}`];
        const [b1, b2, seed] = [T(fx.boxes1), T(fx.boxes2), T(fx.seed)];
        close(await read(boxIou(b1, b2, { kind })), fx.value.data, 1e-5);
        const [g1] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(boxIou(p, q, { kind }), seed)))([b1, b2]);
        close(await read(g1!), fx.grad1.data, 1e-4, 1e-3);
      }
    }));

  it('losses and gradients match torchvision', () =>
    scoped(async () => {
      for (const kind of ['giou', 'diou', 'ciou'] as const) {
        const fx = fixtures[`loss_ties_${kind}`];
        const [p, g] = [T(fx.boxes1), T(fx.boxes2)];
        close(await read(boxIouLoss(kind, p, g)), fx.loss.data, 1e-5);
        close(await read(tf.grad((a: tf.Tensor) => tf.sum(boxIouLoss(kind, a, g)))(p)), fx.grad1.data, 1e-4, 1e-3);
      }
    }));
});
