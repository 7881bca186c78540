/**
 * Recurrent layers forward + backward against PyTorch CPU (2 threads,
 * OpenBLAS): the LSTM workload (batch 32, 50 steps, input 64,
 * hidden 128; gradients of every weight from `sum(output)`), its forward
 * alone, a GRU of the same size, a 2-layer bidirectional LSTM, and the naive
 * baseline (the cell's ops in a loop under tfjs autograd) to show what the
 * fused op saves. A run is one call; on WebGPU it ends with a one-element read.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import type { BenchCase, BenchSuite } from '../../../tools/bench/src/types.js';
import { GRU, LSTM, lstmCell, type RNNBase } from '../src/index.js';

const B = 32, T = 50, I = 64, H = 128;
const SHAPE = `batch ${B}, ${T} steps, input ${I}, hidden ${H}`;

async function settle(t: tf.Tensor): Promise<void> {
  if (tf.getBackend() === 'webgpu') {
    const probe = tf.slice(tf.reshape(t, [-1]), [0], [1]);
    await probe.data();
    probe.dispose();
  }
}

type AnyRecurrent = RNNBase<[tf.Tensor], { output: tf.Tensor }>;

function trainCase(op: string, shape: string, make: () => AnyRecurrent, torchCtor: string, backward = true): BenchCase {
  return {
    op,
    shape,
    warmup: 2,
    runs: 7,
    setup: () => {
      const m = make();
      const x = randn([B, T, I], { generator: new Generator(0) });
      const params = m.trainableParameters();
      return {
        run: async () => {
          if (!backward) {
            const y = tf.tidy(() => m.forward(x).output);
            await settle(y);
            y.dispose();
            return;
          }
          const { value, grads } = tf.variableGrads(() => tf.sum(m.forward(x).output) as tf.Scalar, params);
          await settle(grads[params[0]!.name]!);
          tf.dispose([value, ...Object.values(grads)]);
        },
        dispose: () => {
          x.dispose();
          m.dispose();
        },
      };
    },
    torch: {
      label: `torch.nn.${torchCtor.split('(')[0]}`,
      setup: `m = torch.nn.${torchCtor}; x = torch.randn(${B}, ${T}, ${I})`,
      run: backward ? 'out = m(x)[0]; m.zero_grad(set_to_none=True); out.sum().backward()' : 'with torch.no_grad(): m(x)',
    },
  };
}

/** The baseline the issue measured: one LSTM cell per step under tfjs autograd. */
const naive: BenchCase = {
  op: 'LSTM fwd+bwd, cell ops in a loop (baseline)',
  shape: SHAPE,
  backends: ['wasm', 'cpu'],
  warmup: 1,
  runs: 5,
  setup: () => {
    const m = new LSTM(I, H);
    const x = randn([B, T, I], { generator: new Generator(0) });
    const xs = tf.unstack(x, 1);
    const p = Object.fromEntries(m.namedParameters());
    const w = { weightIh: p['weight_ih_l0']!, weightHh: p['weight_hh_l0']!, biasIh: p['bias_ih_l0']!, biasHh: p['bias_hh_l0']! };
    return {
      run: async () => {
        const { value, grads } = tf.variableGrads(() => {
          let s: [tf.Tensor, tf.Tensor] | null = null;
          const outs: tf.Tensor[] = [];
          for (const xt of xs) {
            const r = lstmCell(xt, s, w);
            s = [r.h, r.c];
            outs.push(r.h);
          }
          return tf.sum(tf.stack(outs, 1)) as tf.Scalar;
        });
        await settle(value);
        tf.dispose([value, ...Object.values(grads)]);
      },
      dispose: () => {
        tf.dispose([x, ...xs]);
        m.dispose();
      },
    };
  },
};

const suite: BenchSuite = {
  package: 'rnn',
  cases: [
    trainCase('LSTM fwd+bwd', SHAPE, () => new LSTM(I, H) as unknown as AnyRecurrent, `LSTM(${I}, ${H}, batch_first=True)`),
    trainCase('LSTM forward', SHAPE, () => new LSTM(I, H) as unknown as AnyRecurrent, `LSTM(${I}, ${H}, batch_first=True)`, false),
    trainCase('GRU fwd+bwd', SHAPE, () => new GRU(I, H) as unknown as AnyRecurrent, `GRU(${I}, ${H}, batch_first=True)`),
    trainCase('LSTM 2-layer bidirectional fwd+bwd', SHAPE, () => new LSTM(I, H, { numLayers: 2, bidirectional: true }) as unknown as AnyRecurrent,
      `LSTM(${I}, ${H}, num_layers=2, bidirectional=True, batch_first=True)`),
    naive,
  ],
};

export default suite;
