import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { GRUCell, LSTMCell, RNNCell, gru, gruCell, lstm, lstmCell, rnn, rnnCell } from '../index.js';
import fixtures from '../../fixtures/rnn.json' with { type: 'json' };

interface CellFixture {
  name: string; nonlinearity: 'tanh' | 'relu'; bias: boolean;
  x: JsonTensor; h: JsonTensor; seed: JsonTensor; y: JsonTensor;
  params: Record<string, JsonTensor>; grads: Record<string, JsonTensor>;
}

describe('RNNCell against PyTorch (forward and gradients)', () => {
  for (const f of fixtures.cells as unknown as CellFixture[]) {
    it(f.name, () => {
      const cell = new RNNCell(5, 4, { bias: f.bias, nonlinearity: f.nonlinearity });
      tf.tidy(() => {
        cell.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, fromJson(v)])));
        const x = fromJson(f.x), h = fromJson(f.h), seed = fromJson(f.seed);
        expectClose(cell.forward(x, h), fromJson(f.y));
        const p = Object.fromEntries(cell.namedParameters());
        const gx = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(cell.forward(a, b), seed)))([x, h]);
        expectClose(gx[0]!, fromJson(f.grads['x']!));
        expectClose(gx[1]!, fromJson(f.grads['h']!));
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(cell.forward(x, h), seed)) as tf.Scalar);
        for (const [n, v] of Object.entries(p)) expectClose(grads[v.name]!, fromJson(f.grads[n]!));
      });
      cell.dispose();
    });
  }
});

describe('cells agree with one step of the sequence layers', () => {
  it('lstmCell, gruCell and rnnCell equal lstm/gru/rnn with T = 1 (and unbatched input works)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4]), h = tf.randomNormal([3, 5]), c = tf.randomNormal([3, 5]);
      const mk = (G: number) => ({ weightIh: tf.randomNormal([G * 5, 4]), weightHh: tf.randomNormal([G * 5, 5]), biasIh: tf.randomNormal([G * 5]), biasHh: tf.randomNormal([G * 5]) });
      const asParams = (w: ReturnType<typeof mk>) => ({ weight_ih_l0: w.weightIh, weight_hh_l0: w.weightHh, bias_ih_l0: w.biasIh, bias_hh_l0: w.biasHh });
      const wl = mk(4), wg = mk(3), wr = mk(1);
      const l = lstmCell(x, [h, c], wl);
      const ls = lstm(tf.expandDims(x, 1), asParams(wl), { h0: tf.expandDims(h, 0), c0: tf.expandDims(c, 0) });
      expectClose(l.h, tf.squeeze(ls.hN, [0]), { atol: 1e-5 });
      expectClose(l.c, tf.squeeze(ls.cN, [0]), { atol: 1e-5 });
      const g = gruCell(x, h, wg);
      expectClose(g, tf.squeeze(gru(tf.expandDims(x, 1), asParams(wg), { h0: tf.expandDims(h, 0) }).hN, [0]), { atol: 1e-5 });
      const r = rnnCell(x, h, wr, 'relu');
      expectClose(r, tf.squeeze(rnn(tf.expandDims(x, 1), asParams(wr), { h0: tf.expandDims(h, 0), nonlinearity: 'relu' }).hN, [0]), { atol: 1e-5 });
      // unbatched [I] input gives [H]
      const u = lstmCell(tf.squeeze(tf.slice(x, [0, 0], [1, 4]), [0]), null, wl);
      expect(u.h.shape).toEqual([5]);
      const u2 = lstmCell(tf.slice(x, [0, 0], [1, 4]), null, wl);
      expectClose(u.h, tf.squeeze(u2.h, [0]));
    });
  });

  it('Modules register PyTorch names and run from zero state', () => {
    const cells = [new LSTMCell(3, 2), new GRUCell(3, 2, { bias: false }), new RNNCell(3, 2)];
    expect(cells.map((c) => c.namedParameters().map(([n]) => n))).toEqual([
      ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'], ['weight_ih', 'weight_hh'], ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'],
    ]);
    tf.tidy(() => {
      const s = (cells[0] as LSTMCell).forward(tf.ones([2, 3]));
      expect(s.c.shape).toEqual([2, 2]);
      expect((cells[1] as GRUCell).forward(tf.ones([2, 3])).shape).toEqual([2, 2]);
    });
    cells.forEach((c) => c.dispose());
  });
});

describe('cell bad input', () => {
  it('names op, argument, expectation and what came', () => {
    tf.tidy(() => {
      const w = { weightIh: tf.zeros([8, 3]), weightHh: tf.zeros([8, 2]) };
      expect(() => lstmCell(tf.zeros([2, 4]), null, w)).toThrow('lstmCell: x must be [B, 3] (weightIh is [8, 3]), got shape [2, 4]');
      expect(() => lstmCell(tf.zeros([2, 3]), [tf.zeros([2, 2]), tf.zeros([3, 2])], w)).toThrow('lstmCell: state[1] must be shape [2, 2]');
      expect(() => gruCell(tf.zeros([2, 3]), null, w)).toThrow('gruCell: weights.weightHh must be shape [3·H, H], got shape [8, 2]');
      expect(() => rnnCell(tf.zeros([2, 3]), null, { ...w, biasIh: tf.zeros([8]) })).toThrow('rnnCell: weights.weightHh must be shape [1·H, H]');
      expect(() => lstmCell(tf.zeros([2, 3]), null, { ...w, biasIh: tf.zeros([8]) })).toThrow('lstmCell: weights.biasHh must be given together with biasIh');
    });
  });
});
