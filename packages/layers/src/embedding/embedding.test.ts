import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Embedding, embedding } from '../index.js';

describe('embedding', () => {
  it('looks rows up and sums the gradient per row, none for the padding row (as PyTorch)', () => {
    tf.tidy(() => {
      const w = tf.tensor2d([[0, 0], [1, 2], [3, 4], [5, 6]]);
      const ids = tf.tensor2d([[2, 1, 2], [0, 3, 0]], [2, 3], 'int32');
      const out = embedding(ids, w);
      expect(out.shape).toEqual([2, 3, 2]);
      expectClose(out, [3, 4, 1, 2, 3, 4, 0, 0, 5, 6, 0, 0]);
      const seed = tf.reshape(tf.range(0, 12), [2, 3, 2]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embedding(ids, t), seed)))(w);
      // row 0 ← positions (1,0),(1,2); row 1 ← (0,1); row 2 ← (0,0),(0,2); row 3 ← (1,1)
      expectClose(g, [6 + 10, 7 + 11, 2, 3, 0 + 4, 1 + 5, 8, 9]);
      const gp = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embedding(ids, t, { paddingIdx: 0 }), seed)))(w);
      expectClose(gp, [0, 0, 2, 3, 4, 6, 8, 9]);
      const gn = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embedding(ids, t, { paddingIdx: -4 }), seed)))(w);
      expectClose(gn, gp);
    });
  });

  it('Embedding: PyTorch name, N(0,1) init with a zero padding row, any ids shape', () => {
    const m = new Embedding(10, 4, { paddingIdx: 3 });
    expect(m.namedParameters().map(([n]) => n)).toEqual(['weight']);
    tf.tidy(() => {
      expectClose(tf.slice(m.weight, [3, 0], [1, 4]), [0, 0, 0, 0]);
      expect(m.forward(tf.tensor1d([1, 2, 3], 'int32')).shape).toEqual([3, 4]);
      expect(m.forward(tf.zeros([2, 2, 2], 'int32')).shape).toEqual([2, 2, 2, 4]);
    });
    m.dispose();
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => embedding(tf.zeros([2]), tf.zeros([3, 2]))).toThrow('embedding: ids must be dtype int32, got dtype float32');
      expect(() => embedding(tf.zeros([2], 'int32'), tf.zeros([3]))).toThrow('embedding: weight must be rank 2');
      expect(() => embedding(tf.zeros([2], 'int32'), tf.zeros([3, 2]), { paddingIdx: 3 })).toThrow('embedding: options.paddingIdx must be');
    });
    expect(() => new Embedding(0, 2)).toThrow('Embedding: numEmbeddings must be');
  });
});
