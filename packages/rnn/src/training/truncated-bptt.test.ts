import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { Module } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { LSTM, truncatedBPTT } from '../index.js';
import fixtures from '../../fixtures/rnn.json' with { type: 'json' };

const f = fixtures.tbptt as unknown as {
  B: number; T: number; I: number; H: number; k: number; lr: number; maxNorm: number;
  x: JsonTensor; y: JsonTensor; init: Record<string, JsonTensor>; final: Record<string, JsonTensor>; losses: number[]; norms: number[];
};

class Model extends Module<[tf.Tensor, [tf.Tensor, tf.Tensor]], { y: tf.Tensor; h: tf.Tensor; c: tf.Tensor }> {
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor() {
    super();
    this.lstm = this.registerModule('lstm', new LSTM(f.I, f.H));
    this.head = this.registerModule('head', new Linear(f.H, 1));
  }
  forward(x: tf.Tensor, s: [tf.Tensor, tf.Tensor]) {
    const r = this.lstm.forward(x, s);
    return { y: this.head.forward(r.output), h: r.hN, c: r.cN };
  }
}

/** Plain SGD through the applyGradients interface, with a global-norm clip as PyTorch's clip_grad_norm_. */
function sgd(vars: tf.Variable[], lr: number) {
  const byName = new Map(vars.map((v) => [v.name, v]));
  return {
    applyGradients: (g: tf.NamedTensorMap) => {
      for (const [n, d] of Object.entries(g)) {
        const next = tf.tidy(() => tf.sub(byName.get(n)!, tf.mul(d, lr)));
        byName.get(n)!.assign(next);
        next.dispose();
      }
    },
  };
}
function clip(maxNorm: number) {
  return (g: tf.NamedTensorMap) => tf.tidy(() => {
    const total = tf.sqrt(tf.addN(Object.values(g).map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    return { grads: Object.fromEntries(Object.entries(g).map(([k, t]) => [k, tf.mul(t, coef)])), totalNorm: total };
  });
}

describe('truncatedBPTT', () => {
  it('matches PyTorch: k-step windows, state detached between them, clipping in the loop', async () => {
    const m = new Model();
    const init = tf.tidy(() => Object.fromEntries(Object.entries(f.init).map(([k, v]) => [k, tf.keep(fromJson(v))])));
    m.loadStateDict(init);
    tf.dispose(Object.values(init));
    const vars = m.trainableParameters();
    const x = fromJson(f.x), y = fromJson(f.y);
    const logs: number[] = [];
    const s0 = [tf.zeros([1, f.B, f.H]), tf.zeros([1, f.B, f.H])] as [tf.Tensor, tf.Tensor];
    const r = await truncatedBPTT({
      inputs: x, targets: y, k: f.k, variables: vars, optimizer: sgd(vars, f.lr), clip: clip(f.maxNorm),
      initialState: s0,
      forward: (xw, yw, s) => {
        const o = m.forward(xw, s);
        return { loss: tf.mean(tf.square(tf.sub(o.y, yw))) as tf.Scalar, state: [o.h, o.c] as [tf.Tensor, tf.Tensor] };
      },
      onWindow: (l) => { logs.push(l.length); },
    });
    expect(logs).toEqual([4, 4, 4]);
    r.losses.forEach((l, i) => expect(l).toBeCloseTo(f.losses[i]!, 4));
    r.gradNorms.forEach((n, i) => expect(n).toBeCloseTo(f.norms[i]!, 4));
    const sd = m.stateDict();
    for (const [k, v] of Object.entries(f.final)) tf.tidy(() => expectClose(sd[k]!, fromJson(v), { atol: 1e-5 }));
    tf.dispose([...Object.values(sd), x, y, ...r.state, ...s0]);
    m.dispose();
  });

  it('checks its options', async () => {
    const x = tf.zeros([2, 5, 1]), y = tf.zeros([2, 4, 1]);
    const base = { inputs: x, targets: x, initialState: [] as tf.Tensor[], forward: () => ({ loss: tf.scalar(0), state: [] as tf.Tensor[] }), k: 2, variables: [] as tf.Variable[], optimizer: { applyGradients: () => {} } };
    await expect(truncatedBPTT({ ...base, targets: y })).rejects.toThrow('truncatedBPTT: options.targets must be [2, 5, ...]');
    await expect(truncatedBPTT({ ...base, k: 0 })).rejects.toThrow('truncatedBPTT: options.k must be');
    await expect(truncatedBPTT(base)).rejects.toThrow('truncatedBPTT: options.variables must be a non-empty array');
    tf.dispose([x, y]);
  });
});
