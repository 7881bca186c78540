/** Losses on every backend lane (cpu, wasm, webgpu), against closed forms. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bceWithLogits } from './bce-with-logits.js';
import { crossEntropy } from './cross-entropy.js';
import { huberLoss } from './huber-loss.js';
import { mseLoss } from './mse-loss.js';
import { smoothL1Loss } from './smooth-l1-loss.js';
import { svmLoss } from './svm-loss.js';

async function read(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function close(got: number[], want: number[], tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

describe('losses (all backends)', () => {
  it('crossEntropy with smoothing and an ignored label, and its gradient', async () => {
    const logits = tf.tensor2d([[0, Math.log(3)], [5, 5], [1000, 0]]); // p = [.25, .75], [.5, .5], [1, 0]
    const labels = tf.tensor1d([1, -100, 1], 'int32');
    // kept items 0 and 2: nll = [-log .75, 1000]; smoothing term mean_c(-log p) = [(-log .25 - log .75)/2, 500]
    const ls = 0.2;
    const per = [0.8 * -Math.log(0.75) + 0.2 * ((-Math.log(0.25) - Math.log(0.75)) / 2), 0, 0.8 * 1000 + 0.2 * 500];
    close(await read(crossEntropy(logits, labels, { labelSmoothing: ls, reduction: 'none' })), per);
    close(await read(crossEntropy(logits, labels, { labelSmoothing: ls })), [(per[0]! + per[2]!) / 2]);
    const g = tf.grad((t: tf.Tensor) => crossEntropy(t, labels, { reduction: 'sum' }))(logits);
    close(await read(g), [0.25, -0.25, 0, 0, 1, -1]);
    tf.dispose([logits, labels]);
  });

  it('svm, mse, bce, smooth L1, huber', async () => {
    const s = tf.tensor2d([[3.2, 5.1, -1.7], [2.2, 2.5, -3.1]]);
    const y = tf.tensor1d([0, 2], 'int32');
    close(await read(svmLoss(s, y)), [(2.9 + 12.9) / 2]);
    close(await read(tf.grad((t: tf.Tensor) => svmLoss(t, y))(s)), [-0.5, 0.5, 0, 0.5, 0.5, -1]);
    const x = tf.tensor1d([0.5, 3, -80]);
    const t = tf.tensor1d([0, 0, 1]);
    close(await read(mseLoss(x, t, { reduction: 'sum' })), [0.25 + 9 + 81 * 81]);
    close(await read(smoothL1Loss(x, t, { reduction: 'none' })), [0.125, 2.5, 80.5]);
    close(await read(huberLoss(x, t, { delta: 2, reduction: 'none' })), [0.125, 4, 2 * (81 - 1)]);
    const sp = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    const pw = tf.tensor1d([2]);
    close(await read(bceWithLogits(x, t, { reduction: 'none', posWeight: pw })), [sp(0.5), sp(3), 2 * sp(80)]);
    tf.dispose([s, y, x, t, pw]);
  });
});
