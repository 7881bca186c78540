import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { scaledDotProductAttention } from '../index.js';
import { rand } from '../../test/helpers.js';

/** A loop-by-loop reference: `allowed(i, j)` says whether query i may attend key j. */
function reference(q: number[][], k: number[][], v: number[][], scale: number, allowed: (i: number, j: number) => boolean) {
  const w = q.map((qi, i) => {
    const s = k.map((kj, j) => (allowed(i, j) ? scale * qi.reduce((a, x, d) => a + x * kj[d]!, 0) : -Infinity));
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  const y = w.map((wi) => v[0]!.map((_, c) => wi.reduce((a, x, j) => a + x * v[j]![c]!, 0)));
  return { w, y };
}

describe('scaledDotProductAttention', () => {
  it('matches a loop reference with a bool mask (true = may attend), causal masking top-left aligned and a custom scale', () => {
    tf.tidy(() => {
      const [nq, nk, d, dv] = [4, 6, 3, 2];
      const q = rand([1, 1, nq, d], 1);
      const k = rand([1, 1, nk, d], 2);
      const v = rand([1, 1, nk, dv], 3);
      const maskData = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1].map(Boolean);
      const mask = tf.tensor2d(maskData.map(Number), [nq, nk], 'bool');
      const { output, weights } = scaledDotProductAttention(q, k, v, { mask, isCausal: true, scale: 0.7 });
      const arr = (x: tf.Tensor) => (x.arraySync() as number[][][][])[0]![0]!;
      const ref = reference(arr(q), arr(k), arr(v), 0.7, (i, j) => maskData[i * nk + j]! && j <= i);
      expectClose(weights, ref.w.flat(), { atol: 1e-6 });
      expectClose(output, ref.y.flat(), { atol: 1e-6 });
      // blocked positions are exactly zero
      const w = weights.dataSync();
      for (let i = 0; i < nq; i++) for (let j = i + 1; j < nk; j++) expect(w[i * nk + j]).toBe(0);
    });
  });

  it('adds a float mask to the scores and uses 1/sqrt(D) by default', () => {
    tf.tidy(() => {
      const q = rand([2, 3, 4], 4);
      const k = rand([2, 5, 4], 5);
      const v = rand([2, 5, 3], 6);
      const bias = rand([3, 5], 7);
      const { output, weights } = scaledDotProductAttention(q, k, v, { mask: bias });
      const want = tf.softmax(tf.add(tf.div(tf.matMul(q, k, false, true), 2), bias));
      expectClose(weights, want, { atol: 1e-6 });
      expectClose(output, tf.matMul(want, v), { atol: 1e-6 });
    });
  });

  it('has the gradients of the explicit formula', () => {
    tf.tidy(() => {
      const q = rand([2, 2, 3, 4], 8);
      const k = rand([2, 2, 5, 4], 9);
      const v = rand([2, 2, 5, 3], 10);
      const seedY = rand([2, 2, 3, 3], 11);
      const seedW = rand([2, 2, 3, 5], 12);
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, explicit: boolean) => {
        if (explicit) {
          const w = tf.softmax(tf.mul(tf.matMul(a, b, false, true), 0.5));
          return tf.add(tf.sum(tf.mul(tf.matMul(w, c), seedY)), tf.sum(tf.mul(w, seedW)));
        }
        const r = scaledDotProductAttention(a, b, c);
        return tf.add(tf.sum(tf.mul(r.output, seedY)), tf.sum(tf.mul(r.weights, seedW)));
      };
      const got = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => loss(a, b, c, false))([q, k, v]);
      const want = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => loss(a, b, c, true))([q, k, v]);
      got.forEach((g, i) => expectClose(g, want[i]!, { atol: 1e-5 }));
    });
  });

  it('drops attention weights only in training, from the seeded generator', () => {
    tf.tidy(() => {
      const q = rand([1, 4, 8], 13);
      const a = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(3) });
      const b = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(3) });
      const off = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, training: false });
      const plain = scaledDotProductAttention(q, q, q);
      expectClose(a.output, b.output, { atol: 0 });
      expectClose(a.weights, plain.weights, { atol: 0 }); // weights are reported before dropout
      expectClose(off.output, plain.output, { atol: 0 });
      expect(Math.max(...Array.from(tf.abs(tf.sub(a.output, plain.output)).dataSync()))).toBeGreaterThan(1e-3);
    });
  });

  it('handles empty batches, queries and keys like PyTorch', () => {
    tf.tidy(() => {
      const r1 = scaledDotProductAttention(tf.zeros([0, 2, 3, 4]), tf.zeros([0, 2, 5, 4]), tf.zeros([0, 2, 5, 3]));
      expect(r1.output.shape).toEqual([0, 2, 3, 3]);
      expect(r1.weights.shape).toEqual([0, 2, 3, 5]);
      const r2 = scaledDotProductAttention(tf.ones([1, 3, 4]), tf.zeros([1, 0, 4]), tf.zeros([1, 0, 2]));
      expect(r2.output.shape).toEqual([1, 3, 2]);
      expect(Array.from(r2.output.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      const r3 = scaledDotProductAttention(tf.zeros([1, 0, 4]), tf.ones([1, 2, 4]), tf.ones([1, 2, 2]));
      expect(r3.output.shape).toEqual([1, 0, 2]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(scaledDotProductAttention(x, tf.zeros([1, 0, 4]), tf.zeros([1, 0, 2])).output))(tf.ones([1, 3, 4]));
      expect(Array.from(g.dataSync()).every((x) => x === 0)).toBe(true);
    });
  });

  it('rejects mismatched shapes, masks and options with a FoveaError', () => {
    tf.tidy(() => {
      const q = tf.zeros([1, 1, 3, 4]);
      expect(() => scaledDotProductAttention(q, tf.zeros([1, 1, 3, 5]), tf.zeros([1, 1, 3, 4]))).toThrow(/scaledDotProductAttention: k must be shape \[1, 1, Nk, 4\]/);
      expect(() => scaledDotProductAttention(q, tf.zeros([1, 1, 3, 4]), tf.zeros([1, 1, 2, 4]))).toThrow(/v must be shape \[1, 1, 3, Dv\]/);
      expect(() => scaledDotProductAttention(q, q, q, { mask: tf.zeros([2, 3]) })).toThrow(/options\.mask must be a bool or float32 mask broadcastable/);
      expect(() => scaledDotProductAttention(q, q, q, { mask: tf.zeros([3, 3], 'int32') })).toThrow(/options\.mask must be dtype bool or float32/);
      expect(() => scaledDotProductAttention(q, q, q, { dropoutP: 1 })).toThrow(/options\.dropoutP/);
      expect(() => scaledDotProductAttention(tf.zeros([3]), q, q)).toThrow(/q must be rank >= 2/);
    });
  });
});
