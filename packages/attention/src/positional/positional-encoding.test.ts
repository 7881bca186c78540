import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { LearnedPositionalEncoding, MultiheadAttention, SelfAttention, SinusoidalPositionalEncoding, sinusoidalPositionEncoding } from '../index.js';
import { rand } from '../../test/helpers.js';

/** Reorders the T axis of `[B, T, E]` by `perm`. */
const permute = (x: tf.Tensor, perm: number[]) => tf.gather(x, tf.tensor1d(perm, 'int32'), 1);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe('sinusoidalPositionEncoding', () => {
  it('is sin/cos of p / 10000^(2i/d) (Vaswani et al.)', () => {
    tf.tidy(() => {
      const pe = sinusoidalPositionEncoding(7, 6);
      const want: number[] = [];
      for (let p = 0; p < 7; p++) for (let i = 0; i < 6; i += 2) want.push(Math.sin(p / 10000 ** (i / 6)), Math.cos(p / 10000 ** (i / 6)));
      expectClose(pe, want, { atol: 1e-7 });
      expectClose(sinusoidalPositionEncoding(3, 4, { offset: 4 }), tf.slice(sinusoidalPositionEncoding(7, 4), [4, 0], [3, 4]), { atol: 1e-7 });
      expect(sinusoidalPositionEncoding(0, 4).shape).toEqual([0, 4]);
    });
    expect(() => sinusoidalPositionEncoding(4, 5)).toThrow(/sinusoidalPositionEncoding: dim must be an even width/);
  });

  it('the modules add the encoding (fixed or learned) and check the length', () => {
    const fixed = new SinusoidalPositionalEncoding(8, { maxLength: 10 });
    const learned = new LearnedPositionalEncoding(10, 8, { generator: new Generator(0) });
    tf.tidy(() => {
      const x = rand([2, 4, 8]);
      expectClose(fixed.forward(x), tf.add(x, sinusoidalPositionEncoding(4, 8)), { atol: 1e-6 });
      expectClose(learned.forward(x, 3), tf.add(x, tf.slice(learned.weight, [3, 0], [4, 8])), { atol: 1e-6 });
      expect(Object.keys(fixed.stateDict())).toEqual([]); // the table is a non-persistent buffer
      expect(Object.keys(learned.stateDict())).toEqual(['weight']);
      expect(() => fixed.forward(tf.zeros([1, 11, 8]))).toThrow(/with T <= maxLength 10/);
      expect(() => learned.forward(tf.zeros([1, 4, 8]), 7)).toThrow(/offset \+ T <= maxLength 10/);
    });
    fixed.dispose();
    learned.dispose();
  });
});

describe('self-attention and position', () => {
  it('is permutation-equivariant without positional encodings, and not with them', () => {
    const perm = [3, 0, 4, 1, 2];
    const g = new Generator(5);
    const single = new SelfAttention(8, { generator: g });
    const multi = new MultiheadAttention(8, 2, { generator: g });
    const fixed = new SinusoidalPositionalEncoding(8, { maxLength: 16 });
    const learned = new LearnedPositionalEncoding(16, 8, { generator: g, initStd: 1 });
    tf.tidy(() => {
      const x = rand([2, 5, 8], 9);
      const sa = (h: tf.Tensor) => single.forward(h).output;
      const mha = (h: tf.Tensor) => multi.forward(h, h, h).output;
      for (const f of [sa, mha]) {
        // f(P x) = P f(x): the attention layer cannot tell where a token is
        expect(maxDiff(f(permute(x, perm)), permute(f(x), perm))).toBeLessThan(1e-5);
        // with positions added, permuting the tokens changes what each one computes
        for (const pos of [(h: tf.Tensor) => fixed.forward(h), (h: tf.Tensor) => learned.forward(h)]) {
          expect(maxDiff(f(pos(permute(x, perm))), permute(f(pos(x)), perm))).toBeGreaterThan(1e-2);
        }
      }
      // causal self-attention is not equivariant either: order is built into the mask
      const causal = new SelfAttention(8, { causal: true, generator: g });
      expect(maxDiff(causal.forward(permute(x, perm)).output, permute(causal.forward(x).output, perm))).toBeGreaterThan(1e-2);
      causal.dispose();
    });
    for (const m of [single, multi, fixed, learned]) m.dispose();
  });
});
