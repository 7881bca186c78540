import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { bitsPerDim, natsToBitsPerDim } from './bits-per-dim.js';

describe('bitsPerDim', () => {
  it('is 1 bit per dim for a fair coin and log2 K for a uniform K-way choice', () => {
    tf.tidy(() => {
      const r = bitsPerDim(tf.zeros([3, 5, 2]), tf.zeros([3, 5], 'int32'));
      expectClose(r.bitsPerDim, 1);
      expectClose(r.nll, 5 * Math.LN2);
      expectClose(bitsPerDim(tf.zeros([2, 4, 4, 1, 256]), tf.fill([2, 4, 4, 1], 7, 'int32')).bitsPerDim, 8);
    });
  });

  it('matches −log softmax summed per item, with the per-item reduction and its gradient', () => {
    const logits = [[[1, 2, 0], [0, -1, 3]], [[2, 2, 2], [5, 0, 0]]]; // [N=2, D=2, K=3]
    const targets = [[1, 2], [0, 0]];
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const per = logits.map((item, n) => item.reduce((s, row, d) => s + lse(row) - row[targets[n]![d]!]!, 0));
    const lt = tf.tensor3d(logits);
    const tt = tf.tensor2d(targets, undefined, 'int32');
    tf.tidy(() => {
      const none = bitsPerDim(lt, tt, { reduction: 'none' });
      expectClose(none.nll, per);
      expectClose(none.bitsPerDim, per.map((v) => v / (2 * Math.LN2)));
      expectClose(bitsPerDim(lt, tt).nll, (per[0]! + per[1]!) / 2);
      const g = tf.grad((l: tf.Tensor) => bitsPerDim(l, tt).nll)(lt); // (softmax − onehot) / N
      const soft = tf.softmax(lt);
      expectClose(g, tf.div(tf.sub(soft, tf.oneHot(tt, 3)), 2));
    });
    tf.dispose([lt, tt]);
  });

  it('converts nats and validates', () => {
    expect(natsToBitsPerDim(784 * Math.LN2, 784)).toBeCloseTo(1, 10);
    tf.tidy(() => {
      expectClose(natsToBitsPerDim(tf.tensor1d([2 * Math.LN2]), 2), [1]);
      expect(() => bitsPerDim(tf.zeros([2, 4, 3]), tf.zeros([2, 4, 1], 'int32'))).toThrow(/bitsPerDim: targets must be int32 of shape \[2, 4\] \(logits \[2, 4, 3\] without the class dim\), got shape \[2, 4, 1\]/);
      expect(() => bitsPerDim(tf.zeros([2, 4, 3]), tf.zeros([2, 4]))).toThrow(/bitsPerDim: targets must be dtype int32, got dtype float32/);
    });
    expect(() => natsToBitsPerDim(1, 0)).toThrow(/natsToBitsPerDim: numDims must be an integer >= 1/);
  });
});
