import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, linearWeightLayout } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { MultiheadAttention, multiheadAttention, scaledDotProductAttention } from '../index.js';
import { fixtures, gradsOf, rand, stateOf, t } from '../../test/helpers.js';

describe('MultiheadAttention against torch.nn.MultiheadAttention', () => {
  // kdim/vdim ≠ E (separate projections), bias_k/v, add_zero_attn, bool/3-D/float masks, unbatched, per-head weights
  for (const [i, c] of (fixtures().multihead as any[]).entries()) {
    it(`case ${i}: kdim ${c.kdim}, vdim ${c.vdim}, bias_kv ${c.add_bias_kv}, zero_attn ${c.add_zero_attn}, unbatched ${c.unbatched}`, () => {
      const m = new MultiheadAttention(c.embed_dim, c.num_heads, { kdim: c.kdim ?? undefined, vdim: c.vdim ?? undefined, addBiasKV: c.add_bias_kv, addZeroAttn: c.add_zero_attn });
      tf.tidy(() => {
        const sd = stateOf(c.state);
        m.loadStateDict(sd);
        expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(c.state).sort());
        const [q, k, v] = ['query', 'key', 'value'].map((n) => t(c.inputs[n]));
        const masks = {
          keyPaddingMask: c.inputs.key_padding_mask ? t(c.inputs.key_padding_mask) : null,
          attnMask: c.inputs.attn_mask ? t(c.inputs.attn_mask) : null,
          averageAttnWeights: c.average,
        };
        const unb = (x: tf.Tensor) => (c.unbatched ? tf.squeeze(x, [0]) : x);
        const r = m.forward(unb(q!), unb(k!), unb(v!), masks);
        expectClose(r.output, t(c.out), { atol: 2e-5, rtol: 1e-4 });
        expectClose(r.weights!, t(c.weights), { atol: 2e-6, rtol: 1e-4 });
        const grads = gradsOf((a, b, d) => m.forward(unb(a!), unb(b!), unb(d!), masks).output, [q!, k!, v!], t(c.seed));
        expectClose(grads[0]!, t(c.dquery), { atol: 1e-4, rtol: 1e-3 });
        expectClose(grads[1]!, t(c.dkey), { atol: 1e-4, rtol: 1e-3 });
        expectClose(grads[2]!, t(c.dvalue), { atol: 1e-4, rtol: 1e-3 });
      });
      m.dispose();
    });
  }
});

describe('multiheadAttention', () => {
  it('equals per-head scaled dot-product attention on the split projections (both internal paths)', () => {
    // 2 heads of 8: 3 × 5 queries × keys take the packed path on wasm, 100 × 90 the per-head one
    for (const [t1, t2] of [[3, 5], [100, 90]] as const) {
      tf.tidy(() => {
        const e = 16;
        const nh = 2;
        const q = rand([2, t1, e], 1);
        const kv = rand([2, t2, e], 2);
        const w = { inProjWeight: tf.mul(rand([e, 3 * e], 3), 0.3), inProjBias: rand([3 * e], 4), outProjWeight: tf.mul(rand([e, e], 5), 0.3), outProjBias: rand([e], 6) };
        const mask = tf.less(rand([t1, t2], 7), 0.4);
        const got = multiheadAttention(q, kv, kv, w, { numHeads: nh, attnMask: mask, averageAttnWeights: false });
        const [wq, wk, wv] = tf.split(w.inProjWeight, 3, 1);
        const [bq, bk, bv] = tf.split(w.inProjBias, 3);
        const heads = (x: tf.Tensor, wt: tf.Tensor, b: tf.Tensor) => tf.transpose(tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, e]), wt), b), [2, -1, nh, e / nh]), [0, 2, 1, 3]);
        const r = scaledDotProductAttention(heads(q, wq!, bq!), heads(kv, wk!, bk!), heads(kv, wv!, bv!), { mask: tf.logicalNot(mask) });
        const merged = tf.reshape(tf.transpose(r.output, [0, 2, 1, 3]), [-1, e]);
        const want = tf.reshape(tf.add(tf.matMul(merged, w.outProjWeight), w.outProjBias), [2, t1, e]);
        expectClose(got.output, want, { atol: 1e-5 });
        expectClose(got.weights!, r.weights, { atol: 1e-6 });
      });
    }
  });

  it('adds a causal mask, returns no weights when not asked, and keeps float masks additive', () => {
    tf.tidy(() => {
      const x = rand([1, 4, 4], 8);
      const w = { inProjWeight: rand([4, 12], 9), outProjWeight: rand([4, 4], 10) };
      const causal = multiheadAttention(x, x, x, w, { numHeads: 2, isCausal: true });
      const viaMask = multiheadAttention(x, x, x, w, { numHeads: 2, attnMask: tf.tensor2d([0, -Infinity, -Infinity, -Infinity, 0, 0, -Infinity, -Infinity, 0, 0, 0, -Infinity, 0, 0, 0, 0], [4, 4]) });
      expectClose(causal.output, viaMask.output, { atol: 1e-6 });
      expectClose(causal.weights!, viaMask.weights!, { atol: 1e-6 });
      const none = multiheadAttention(x, x, x, w, { numHeads: 2, needWeights: false });
      expect(none.weights).toBeNull();
      none.output.dispose();
    });
  });

  it('rejects bad shapes, heads and masks with a FoveaError', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, 3, 6]);
      const w = { inProjWeight: tf.zeros([6, 18]), outProjWeight: tf.zeros([6, 6]) };
      expect(() => multiheadAttention(x, x, x, w, { numHeads: 4 })).toThrow(/query \(E\) must be divisible by numHeads \(4\), got 6/);
      expect(() => multiheadAttention(x, tf.zeros([2, 4, 6]), x, w, { numHeads: 2 })).toThrow(/value must be shape \[B, Nk, \*\] with B = 2, Nk = 4/);
      expect(() => multiheadAttention(x, x, x, { ...w, inProjWeight: tf.zeros([6, 12]) }, { numHeads: 2 })).toThrow(/weights\.inProjWeight must be shape \[6, 18\]/);
      expect(() => multiheadAttention(x, x, x, w, { numHeads: 2, keyPaddingMask: tf.zeros([2, 4], 'bool') })).toThrow(/keyPaddingMask must be shape \[B, Nk\]/);
      expect(() => multiheadAttention(x, x, x, w, { numHeads: 2, attnMask: tf.zeros([3, 4], 'bool') })).toThrow(/attnMask must be shape \[Nq, Nk\] = \[3, 3\] or \[B·nh, Nq, Nk\] = \[4, 3, 3\]/);
      expect(() => multiheadAttention(x, tf.zeros([2, 3, 5]), tf.zeros([2, 3, 5]), w, { numHeads: 2 })).toThrow(/separate q\/k\/v projection weights/);
    });
  });
});

describe('MultiheadAttention', () => {
  it('has PyTorch’s parameters and initialisation (Xavier projections, zero biases)', () => {
    const m = new MultiheadAttention(32, 4, { generator: new Generator(0) });
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    expect(sd['in_proj_weight']!.shape).toEqual([96, 32]);
    const bound = Math.sqrt(6 / (32 + 96));
    const w = sd['in_proj_weight']!.dataSync();
    expect(Math.max(...Array.from(w).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w).map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Array.from(sd['in_proj_bias']!.dataSync()).every((x) => x === 0)).toBe(true);
    expect(Array.from(sd['out_proj.bias']!.dataSync()).every((x) => x === 0)).toBe(true);
    tf.dispose(Object.values(sd));
    m.dispose();
    const sep = new MultiheadAttention(8, 2, { kdim: 5, vdim: 3, addBiasKV: true, bias: false });
    const s2 = sep.stateDict();
    expect(Object.fromEntries(Object.entries(s2).map(([k, v]) => [k, v.shape]))).toEqual({
      q_proj_weight: [8, 8], k_proj_weight: [8, 5], v_proj_weight: [8, 3], bias_k: [1, 1, 8], bias_v: [1, 1, 8], 'out_proj.weight': [8, 8],
    });
    tf.dispose(Object.values(s2));
    sep.dispose();
  });

  it('applies attention dropout in training mode only', () => {
    const m = new MultiheadAttention(8, 2, { dropout: 0.5, generator: new Generator(1) });
    tf.tidy(() => {
      const x = rand([2, 5, 8], 11);
      const a = m.forward(x, x, x).output;
      const b = m.forward(x, x, x).output;
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-4);
      m.eval();
      expectClose(m.forward(x, x, x).output, m.forward(x, x, x).output, { atol: 0 });
    });
    m.dispose();
  });

  it('takes weights through linearWeightLayout in the functional form', () => {
    tf.tidy(() => {
      const m = new MultiheadAttention(4, 2);
      const x = rand([1, 3, 4], 12);
      const sd = m.stateDict();
      const w = { inProjWeight: linearWeightLayout.fromTorch(sd['in_proj_weight']!), inProjBias: sd['in_proj_bias'], outProjWeight: linearWeightLayout.fromTorch(sd['out_proj.weight']!), outProjBias: sd['out_proj.bias'] };
      expectClose(multiheadAttention(x, x, x, w, { numHeads: 2 }).output, m.forward(x, x, x).output, { atol: 1e-6 });
      m.dispose();
    });
  });
});
