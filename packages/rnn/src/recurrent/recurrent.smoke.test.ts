/** Small checks that run on every lane (cpu, wasm, webgpu): fused sequence ops and cells against PyTorch fixtures, with gradients. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fromJson, type JsonTensor } from '@fovea/test-utils';
import { GRU, LSTM, RNN, gruCell } from '../index.js';
import fixtures from '../../fixtures/rnn.json' with { type: 'json' };

interface SeqFixture {
  name: string; kind: 'rnn' | 'lstm' | 'gru';
  config: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; bias: boolean; batchFirst: boolean; nonlinearity: 'tanh' | 'relu'; unbatched: boolean };
  inputs: Record<string, JsonTensor>; params: Record<string, JsonTensor>; seeds: Record<string, JsonTensor>;
  outputs: Record<string, JsonTensor>; grads: Record<string, JsonTensor>;
}

async function maxDiff(a: tf.Tensor, want: JsonTensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, fromJson(want)))));
  const v = (await d.data())[0]!;
  d.dispose();
  return v;
}

describe('recurrent layers on this backend', () => {
  for (const name of ['lstm_2l_bi_time_major', 'gru_3l_nobias', 'rnn_relu_2l_bi_unbatched']) {
    it(`${name}: forward and weight gradients match PyTorch`, async () => {
      const f = (fixtures.sequences as unknown as SeqFixture[]).find((c) => c.name === name)!;
      const { inputSize, hiddenSize, ...opts } = f.config;
      const m = f.kind === 'lstm' ? new LSTM(inputSize, hiddenSize, opts) : f.kind === 'gru' ? new GRU(inputSize, hiddenSize, opts) : new RNN(inputSize, hiddenSize, opts);
      const sd = tf.tidy(() => Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, tf.keep(fromJson(v))])));
      m.loadStateDict(sd);
      tf.dispose(Object.values(sd));
      const ins: Record<string, tf.Tensor> = tf.tidy(() => Object.fromEntries(Object.entries(f.inputs).map(([k, v]) => [k, tf.keep(fromJson(v))])));
      const seeds: Record<string, tf.Tensor> = tf.tidy(() => Object.fromEntries(Object.entries(f.seeds).map(([k, v]) => [k, tf.keep(fromJson(v))])));
      let outs: Record<string, tf.Tensor> = {};
      const { value, grads } = tf.variableGrads(() => {
        const r = m instanceof LSTM ? m.forward(ins['x']!, ins['h0'] ? [ins['h0'], ins['c0']!] : undefined) : (m as GRU).forward(ins['x']!, ins['h0']);
        outs = { output: tf.keep(r.output), h_n: tf.keep(r.hN), ...('cN' in r ? { c_n: tf.keep((r as { cN: tf.Tensor }).cN) } : {}) };
        return tf.addN(Object.entries(seeds).map(([k, s]) => tf.sum(tf.mul(outs[k]!, s)))) as tf.Scalar;
      });
      for (const [k, want] of Object.entries(f.outputs)) expect(await maxDiff(outs[k]!, want), k).toBeLessThan(1e-4);
      for (const [n, p] of m.namedParameters()) expect(await maxDiff(grads[p.name]!, f.grads[n]!), `grad ${n}`).toBeLessThan(1e-3);
      tf.dispose([value, ...Object.values(grads), ...Object.values(outs), ...Object.values(ins), ...Object.values(seeds)]);
      m.dispose();
    });
  }

  it('gruCell runs and differentiates', async () => {
    const w = { weightIh: tf.randomNormal([6, 3]), weightHh: tf.randomNormal([6, 2]), biasIh: tf.zeros([6]), biasHh: tf.zeros([6]) };
    const x = tf.randomNormal([2, 3]), h = tf.randomNormal([2, 2]);
    const g = tf.grads((a: tf.Tensor) => tf.sum(gruCell(a, h, w)))([x]);
    expect(g[0]!.shape).toEqual([2, 3]);
    expect(Number.isFinite((await g[0]!.data())[0]!)).toBe(true);
    tf.dispose([...Object.values(w), x, h, ...g]);
  });
});
