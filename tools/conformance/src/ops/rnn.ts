/** Conformance handlers for `rnn.*` ops: each maps a case to @fovea/rnn's public API. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Module, Parameter, StateDict } from '@fovea/core';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, type RNNNonlinearity, type RNNOutput } from '@fovea/rnn';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

const DATA_INPUTS = ['x', 'h0', 'c0'];

/** The case inputs that are state-dict keys (everything but x, h0, c0). */
function stateDict(ctx: OpContext): StateDict {
  const out: StateDict = {};
  for (const [k, v] of Object.entries(ctx.inputs)) if (!DATA_INPUTS.includes(k)) out[k] = v;
  return out;
}

/** Loads the case's weights into a fresh module, runs `fn`, and always disposes the module. */
function withModule<M extends Module>(ctx: OpContext, m: M, fn: (m: M, params: Record<string, Parameter>) => Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  try {
    m.loadStateDict(stateDict(ctx));
    return fn(m, Object.fromEntries(m.namedParameters()));
  } finally {
    m.dispose();
  }
}

function seqOptions(ctx: OpContext) {
  const a = ctx.attrs;
  return { numLayers: (a['num_layers'] as number | undefined) ?? 1, bidirectional: !!a['bidirectional'], bias: a['bias'] !== false, batchFirst: true };
}

/** `nn.RNN` / `nn.GRU` / `nn.LSTM` with `batch_first=True`, weights from the case. */
function sequence(kind: 'rnn' | 'lstm' | 'gru'): OpHandler {
  return (ctx) => {
    const I = ctx.inputs['weight_ih_l0']!.shape[1]!;
    const H = ctx.attrs['hidden_size'] as number;
    const opts = seqOptions(ctx);
    const m = kind === 'lstm' ? new LSTM(I, H, opts)
      : kind === 'gru' ? new GRU(I, H, opts)
        : new RNN(I, H, { ...opts, nonlinearity: ((ctx.attrs['nonlinearity'] as RNNNonlinearity | undefined) ?? 'tanh') });
    return withModule(ctx, m, (mod, params) => withGrads(ctx, (inp): Record<string, tf.Tensor> => {
      if (mod instanceof LSTM) {
        const hx = inp['h0'] && inp['c0'] ? [inp['h0'], inp['c0']] as [tf.Tensor, tf.Tensor] : undefined;
        const r = mod.forward(inp['x']!, hx);
        return { output: r.output, h_n: r.hN, c_n: r.cN };
      }
      const r: RNNOutput = (mod as RNN | GRU).forward(inp['x']!, inp['h0']);
      return { output: r.output, h_n: r.hN };
    }, params));
  };
}

/** `nn.LSTMCell` / `nn.GRUCell`, weights from the case. */
function cell(kind: 'lstm' | 'gru'): OpHandler {
  return (ctx) => {
    const [G, I] = ctx.inputs['weight_ih']!.shape as [number, number];
    const H = G / (kind === 'lstm' ? 4 : 3);
    const bias = ctx.attrs['bias'] !== false;
    const m = kind === 'lstm' ? new LSTMCell(I, H, { bias }) : new GRUCell(I, H, { bias });
    return withModule(ctx, m, (mod, params) => withGrads(ctx, (inp): Record<string, tf.Tensor> => {
      if (mod instanceof LSTMCell) {
        const r = mod.forward(inp['x']!, [inp['h0']!, inp['c0']!]);
        return { h: r.h, c: r.c };
      }
      return { h: (mod as GRUCell).forward(inp['x']!, inp['h0']!) };
    }, params));
  };
}

export const rnnOps: Record<string, OpHandler> = {
  'rnn.rnn': sequence('rnn'),
  'rnn.lstm': sequence('lstm'),
  'rnn.gru': sequence('gru'),
  'rnn.lstm_cell': cell('lstm'),
  'rnn.gru_cell': cell('gru'),
};
