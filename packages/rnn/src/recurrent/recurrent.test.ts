import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { GRU, LSTM, RNN, gru, lstm, rnn, type RNNBase } from '../index.js';
import fixtures from '../../fixtures/rnn.json' with { type: 'json' };

interface SeqFixture {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru';
  config: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; bias: boolean; batchFirst: boolean; nonlinearity: 'tanh' | 'relu'; unbatched: boolean };
  inputs: Record<string, JsonTensor>;
  params: Record<string, JsonTensor>;
  seeds: Record<string, JsonTensor>;
  outputs: Record<string, JsonTensor>;
  grads: Record<string, JsonTensor>;
}

const cases = fixtures.sequences as unknown as SeqFixture[];
const TOL = { atol: 2e-5, rtol: 2e-4 };

/** expectClose against a JSON fixture tensor, disposing what it makes. */
function close(actual: tf.Tensor, want: JsonTensor, tol: { atol?: number; rtol?: number } = TOL): void {
  const w = fromJson(want);
  try {
    expectClose(actual, w, tol);
  } finally {
    w.dispose();
  }
}

function makeModule(f: SeqFixture): RNNBase<[tf.Tensor, never?], { output: tf.Tensor; hN: tf.Tensor; cN?: tf.Tensor }> {
  const { inputSize, hiddenSize, ...opts } = f.config;
  const m = f.kind === 'lstm' ? new LSTM(inputSize, hiddenSize, opts) : f.kind === 'gru' ? new GRU(inputSize, hiddenSize, opts) : new RNN(inputSize, hiddenSize, opts);
  return m as unknown as RNNBase<[tf.Tensor, never?], { output: tf.Tensor; hN: tf.Tensor; cN?: tf.Tensor }>;
}

describe('RNN / LSTM / GRU modules against PyTorch (forward and every gradient)', () => {
  for (const f of cases) {
    it(f.name, () => {
      const m = makeModule(f);
      const sd = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, fromJson(v)]));
      m.loadStateDict(sd);
      tf.dispose(Object.values(sd));
      const own = m.stateDict();
      expect(Object.keys(own)).toEqual(Object.keys(f.params)); // PyTorch's names and order
      tf.dispose(Object.values(own));
      const variable = (j: JsonTensor): tf.Variable => tf.tidy(() => tf.variable(fromJson(j)));
      const x = variable(f.inputs['x']!);
      const h0 = f.inputs['h0'] ? variable(f.inputs['h0']) : null;
      const c0 = f.inputs['c0'] ? variable(f.inputs['c0']) : null;
      const seeds = Object.fromEntries(Object.entries(f.seeds).map(([k, v]) => [k, fromJson(v)]));
      let outs: Record<string, tf.Tensor> = {};
      const { value, grads } = tf.variableGrads(() => {
        const hx = f.kind === 'lstm' ? (h0 && c0 ? [h0, c0] : undefined) : h0 ?? undefined;
        const r = (m.forward as (x: tf.Tensor, hx?: unknown) => { output: tf.Tensor; hN: tf.Tensor; cN?: tf.Tensor })(x, hx);
        outs = { output: tf.keep(r.output), h_n: tf.keep(r.hN), ...(r.cN ? { c_n: tf.keep(r.cN) } : {}) };
        return tf.addN(Object.entries(seeds).map(([k, s]) => tf.sum(tf.mul(outs[k]!, s)))) as tf.Scalar;
      });
      for (const [k, want] of Object.entries(f.outputs)) close(outs[k]!, want);
      const byName: Record<string, tf.Variable> = { x, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), ...Object.fromEntries(m.namedParameters()) };
      for (const [k, want] of Object.entries(f.grads)) close(grads[byName[k]!.name]!, want, { atol: 1e-4, rtol: 1e-3 });
      tf.dispose([value, ...Object.values(grads), ...Object.values(outs), ...Object.values(seeds), x, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])]);
      m.dispose();
    });
  }
});

describe('functional forms', () => {
  it('lstm/gru/rnn agree with their Modules', () => {
    const f = cases.find((c) => c.name === 'gru_2l_bi')!;
    const params = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, fromJson(v)]));
    const x = fromJson(f.inputs['x']!), h0 = fromJson(f.inputs['h0']!);
    const r = gru(x, params, { numLayers: 2, bidirectional: true, h0 });
    close(r.output, f.outputs['output']!);
    close(r.hN, f.outputs['h_n']!);
    tf.dispose([x, h0, r.output, r.hN, ...Object.values(params)]);
  });

  it('a long sequence stays accurate (T = 40)', () => {
    const f = cases.find((c) => c.name === 'lstm_long_T40')!;
    const params = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, fromJson(v)]));
    const x = fromJson(f.inputs['x']!), h0 = fromJson(f.inputs['h0']!), c0 = fromJson(f.inputs['c0']!);
    const r = lstm(x, params, { h0, c0 });
    close(r.output, f.outputs['output']!);
    close(r.cN, f.outputs['c_n']!);
    tf.dispose([x, h0, c0, r.output, r.hN, r.cN, ...Object.values(params)]);
  });

  it('the reverse direction of a bidirectional layer is the forward layer on the reversed sequence', () => {
    const m = new LSTM(3, 4, { bidirectional: true });
    const fwd = new LSTM(3, 4);
    const sd = m.stateDict();
    fwd.loadStateDict({ weight_ih_l0: sd['weight_ih_l0_reverse']!, weight_hh_l0: sd['weight_hh_l0_reverse']!, bias_ih_l0: sd['bias_ih_l0_reverse']!, bias_hh_l0: sd['bias_hh_l0_reverse']! });
    const x = tf.randomNormal([2, 6, 3]);
    const bi = m.forward(x);
    const xr = tf.reverse(x, 1);
    const rev = fwd.forward(xr);
    xr.dispose();
    tf.tidy(() => {
      expectClose(tf.slice(bi.output, [0, 0, 4], [2, 6, 4]), tf.reverse(rev.output, 1), { atol: 1e-5 });
      expectClose(tf.slice(bi.hN, [1, 0, 0], [1, 2, 4]), rev.hN, { atol: 1e-5 });
    });
    tf.dispose([x, bi.output, bi.hN, bi.cN, rev.output, rev.hN, rev.cN, ...Object.values(sd)]);
    m.dispose();
    fwd.dispose();
  });

  it('inter-layer dropout is active only in training mode and follows the generator', () => {
    const m = new GRU(3, 8, { numLayers: 2, dropout: 0.5 });
    const x = tf.randomNormal([2, 4, 3]);
    m.eval();
    const a = m.forward(x), b = m.forward(x);
    expectClose(a.output, b.output, { atol: 0 });
    m.train();
    const c = m.forward(x);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(c.output, a.output))).dataSync()[0])).toBeGreaterThan(1e-4);
    tf.dispose([x, a.output, a.hN, b.output, b.hN, c.output, c.hN]);
    m.dispose();
  });

  it('releases every intermediate', () => {
    const m = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const x = tf.randomNormal([2, 4, 3]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(m.forward(x).output) as tf.Scalar);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });
});

describe('bad input', () => {
  const w = (): Record<string, tf.Tensor> => ({ weight_ih_l0: tf.zeros([16, 3]), weight_hh_l0: tf.zeros([16, 4]), bias_ih_l0: tf.zeros([16]), bias_hh_l0: tf.zeros([16]) });
  it('names the feature size that the weights expect', () => {
    const p = w();
    const x = tf.zeros([2, 3, 5]);
    expect(() => lstm(x, p)).toThrow('lstm: x must be [B, T, I] with I = 3 (weight_ih_l0 is [16, 3]), got shape [2, 3, 5]');
    tf.dispose([x, ...Object.values(p)]);
  });
  it('rejects missing and unexpected weights, bad states and options', () => {
    const p = w();
    const x = tf.zeros([2, 3, 3]);
    expect(() => lstm(x, p, { numLayers: 2 })).toThrow(/params must be exactly .*weight_ih_l1.*missing weight_ih_l1/);
    expect(() => lstm(x, { ...p, extra: p['bias_ih_l0']! })).toThrow(/unexpected extra/);
    expect(() => gru(x, p)).toThrow("gru: params['weight_hh_l0'] must be shape [3·H, H] (3 gates), got shape [16, 4]");
    const h0 = tf.zeros([1, 2, 4]), bad = tf.zeros([1, 3, 4]);
    expect(() => lstm(x, p, { h0 })).toThrow('lstm: c0 must be given together with h0 (or both absent), got h0 without c0');
    expect(() => lstm(x, p, { h0: bad, c0: bad })).toThrow('lstm: h0 must be shape [1, 2, 4]');
    expect(() => rnn(x, {}, { nonlinearity: 'gelu' as 'relu' })).toThrow("rnn: options.nonlinearity must be one of 'tanh', 'relu'");
    expect(() => new LSTM(3, 0)).toThrow('LSTM: hiddenSize must be');
    const empty = tf.zeros([2, 0, 3]);
    expect(() => lstm(empty, p)).toThrow('lstm: x must be a sequence length T >= 1, got shape [2, 0, 3]');
    tf.dispose([x, h0, bad, empty, ...Object.values(p)]);
  });
});
