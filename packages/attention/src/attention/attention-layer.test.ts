import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Attention, SelfAttention } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('Attention', () => {
  it('one query: softmax over the inputs of q·(x W_K) / √D, weighted sum of x W_V', () => {
    const attn = new Attention(4, 6, { valueDim: 3, generator: new Generator(0) });
    tf.tidy(() => {
      const q = rand([2, 4], 1);
      const x = rand([2, 5, 6], 2);
      const { output, weights } = attn.forward(q, x);
      expect(output.shape).toEqual([2, 3]);
      expect(weights.shape).toEqual([2, 5]);
      const keys = attn.key.forward(x); // [2, 5, 4]
      const values = attn.value.forward(x); // [2, 5, 3]
      const e = tf.div(tf.sum(tf.mul(tf.expandDims(q, 1), keys), -1), 2); // [2, 5]
      const a = tf.softmax(e);
      expectClose(weights, a, { atol: 1e-6 });
      expectClose(output, tf.sum(tf.mul(tf.expandDims(a, -1), values), 1), { atol: 1e-6 });
    });
    attn.dispose();
  });

  it('several queries and a padding mask; parameters in PyTorch layout', () => {
    const attn = new Attention(4, 6, { generator: new Generator(1) });
    tf.tidy(() => {
      const q = rand([2, 3, 4], 3);
      const x = rand([2, 5, 6], 4);
      const pad = tf.tensor3d([1, 1, 1, 0, 0, 1, 1, 1, 1, 1], [2, 1, 5], 'bool'); // first sequence has 3 inputs
      const { output, weights } = attn.forward(q, x, { mask: pad });
      expect(output.shape).toEqual([2, 3, 6]);
      const w = weights.arraySync() as number[][][];
      expect(w[0]!.every((row) => row[3] === 0 && row[4] === 0)).toBe(true);
      // each query on its own gives the same row
      const one = attn.forward(tf.squeeze(tf.slice(q, [0, 1, 0], [2, 1, 4]), [1]), x, { mask: pad });
      expectClose(one.output, tf.squeeze(tf.slice(output, [0, 1, 0], [2, 1, 6]), [1]), { atol: 1e-6 });
      expect(Object.fromEntries(Object.entries(attn.stateDict()).map(([k, v]) => [k, v.shape]))).toEqual({ 'key.weight': [4, 6], 'value.weight': [6, 6] });
      expect(() => attn.forward(tf.zeros([2, 5]), x)).toThrow(/Attention\.forward: query must be \[B, 4\] or \[B, Nq, 4\]/);
    });
    attn.dispose();
  });
});

describe('SelfAttention', () => {
  it('masked (causal) self-attention: position i sees positions ≤ i only', () => {
    const sa = new SelfAttention(6, { causal: true, keyDim: 4, generator: new Generator(2) });
    tf.tidy(() => {
      const x = rand([1, 5, 6], 5);
      const { output, weights } = sa.forward(x);
      const w = weights.arraySync() as number[][][];
      for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) expect(w[0]![i]![j]).toBe(0);
      // the prefix's outputs do not depend on later positions
      const prefix = sa.forward(tf.slice(x, [0, 0, 0], [1, 3, 6])).output;
      expectClose(prefix, tf.slice(output, [0, 0, 0], [1, 3, 6]), { atol: 1e-6 });
    });
    sa.dispose();
  });
});
