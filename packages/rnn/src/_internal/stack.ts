/**
 * The multi-layer, optionally bidirectional driver shared by `rnn`, `lstm`
 * and `gru`: validates PyTorch-named weights and states, runs each layer and
 * direction with its fused sequence op, applies inter-layer dropout, and
 * assembles `output`, `h_n` (and `c_n`) in PyTorch's layouts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, describeValue, formatShape, type Generator } from '@fovea/core';
import { dropout } from '@fovea/layers';
import { gruSequence } from './gru-seq.js';
import { lstmSequence } from './lstm-seq.js';
import { rnnSequence, type RNNNonlinearity } from './rnn-seq.js';
import type { SeqResult } from './seq-common.js';

/** Which recurrence. */
export type RecurrentKind = 'rnn' | 'lstm' | 'gru';

/** Gates per kind: rows of `weight_ih` are `gates · H`. */
export const GATES: Record<RecurrentKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/** Options every recurrent layer function shares (all optional). */
export interface StackOptions {
  numLayers?: number;
  bidirectional?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  training?: boolean;
  generator?: Generator;
  nonlinearity?: RNNNonlinearity;
}

/** The PyTorch parameter names of layer `l`, direction suffix `sfx`. */
export function paramNames(l: number, sfx: string, bias: boolean): string[] {
  const w = [`weight_ih_l${l}${sfx}`, `weight_hh_l${l}${sfx}`];
  return bias ? [...w, `bias_ih_l${l}${sfx}`, `bias_hh_l${l}${sfx}`] : w;
}

/** Every parameter name of a stack, in PyTorch's `state_dict` order. */
export function allParamNames(numLayers: number, bidirectional: boolean, bias: boolean): string[] {
  const out: string[] = [];
  for (let l = 0; l < numLayers; l++) for (const sfx of bidirectional ? ['', '_reverse'] : ['']) out.push(...paramNames(l, sfx, bias));
  return out;
}

interface Plan {
  B: number; T: number; I: number; H: number; L: number; dirs: number; bias: boolean; unbatched: boolean;
}

/** Validates weights and options; returns the sizes. */
function plan(op: string, kind: RecurrentKind, x: tf.Tensor, params: Record<string, tf.Tensor>, o: StackOptions): Plan {
  checkTensor(op, 'x', x, { rank: [2, 3], dtype: 'float32' });
  if (typeof params !== 'object' || params === null) {
    throw new FoveaError({ op, arg: 'params', expected: 'an object of PyTorch-named weight tensors', got: describeValue(params) });
  }
  const L = checkNumber(op, 'options.numLayers', o.numLayers ?? 1, { integer: true, min: 1 });
  const dirs = o.bidirectional ? 2 : 1;
  const G = GATES[kind];
  const whh = params['weight_hh_l0'];
  checkTensor(op, "params['weight_hh_l0']", whh, { rank: 2, dtype: 'float32' });
  const H = whh.shape[1]!;
  if (whh.shape[0] !== G * H) {
    throw new FoveaError({ op, arg: "params['weight_hh_l0']", expected: `shape [${G}·H, H] (${G} gates)`, got: `shape ${formatShape(whh.shape)}` });
  }
  const bias = 'bias_ih_l0' in params || 'bias_hh_l0' in params;
  const expected = allParamNames(L, dirs === 2, bias);
  const unexpected = Object.keys(params).filter((k) => !expected.includes(k));
  const missing = expected.filter((k) => !(k in params));
  if (missing.length || unexpected.length) {
    const got = [missing.length ? `missing ${missing.join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''].filter(Boolean).join('; ');
    throw new FoveaError({ op, arg: 'params', expected: `exactly ${expected.join(', ')} (numLayers ${L}, ${dirs === 2 ? 'bidirectional' : 'one direction'}, ${bias ? 'with' : 'no'} bias)`, got });
  }
  const batchFirst = o.batchFirst ?? true;
  const unbatched = x.rank === 2;
  const B = unbatched ? 1 : x.shape[batchFirst ? 0 : 1]!;
  const T = x.shape[unbatched ? 0 : batchFirst ? 1 : 0]!;
  const I = x.shape[x.rank - 1]!;
  for (let l = 0; l < L; l++) {
    const inL = l === 0 ? I : H * dirs;
    for (const sfx of dirs === 2 ? ['', '_reverse'] : ['']) {
      const [wi, wh, bi, bh] = paramNames(l, sfx, bias);
      const w = params[wi!]!;
      checkTensor(op, `params['${wi}']`, w, { rank: 2, dtype: 'float32' });
      if (w.shape[0] !== G * H || w.shape[1] !== inL) {
        if (l === 0 && w.shape[0] === G * H) {
          const layout = unbatched ? '[T, I]' : batchFirst ? '[B, T, I]' : '[T, B, I]';
          throw new FoveaError({ op, arg: 'x', expected: `${layout} with I = ${w.shape[1]} (weight_ih_l0 is ${formatShape(w.shape)})`, got: `shape ${formatShape(x.shape)}` });
        }
        throw new FoveaError({ op, arg: `params['${wi}']`, expected: `shape [${G * H}, ${inL}]`, got: `shape ${formatShape(w.shape)}` });
      }
      checkTensor(op, `params['${wh}']`, params[wh!], { shape: [G * H, H], dtype: 'float32' });
      if (bias) {
        checkTensor(op, `params['${bi}']`, params[bi!], { shape: [G * H], dtype: 'float32' });
        checkTensor(op, `params['${bh}']`, params[bh!], { shape: [G * H], dtype: 'float32' });
      }
    }
  }
  if (T === 0) throw new FoveaError({ op, arg: 'x', expected: 'a sequence length T >= 1', got: `shape ${formatShape(x.shape)}` });
  const p = o.dropout ?? 0;
  checkNumber(op, 'options.dropout', p, { min: 0, max: 1 });
  return { B, T, I, H, L, dirs, bias, unbatched };
}

function checkState(op: string, arg: string, s: tf.Tensor | undefined | null, p: Plan): void {
  if (s === undefined || s === null) return;
  const shape = p.unbatched ? [p.L * p.dirs, p.H] : [p.L * p.dirs, p.B, p.H];
  checkTensor(op, arg, s, { shape, dtype: 'float32' });
}

/** What the driver returns (PyTorch layouts; `cN` for LSTM). */
export interface StackResult {
  [k: string]: tf.Tensor | undefined;
  output: tf.Tensor;
  hN: tf.Tensor;
  cN?: tf.Tensor;
}

/**
 * Runs a stack. `h0`/`c0` are `[L·dirs, B, H]` (or `[L·dirs, H]` unbatched)
 * or absent (zeros).
 */
export function runStack(
  op: string, kind: RecurrentKind, x: tf.Tensor, params: Record<string, tf.Tensor>,
  h0: tf.Tensor | null | undefined, c0: tf.Tensor | null | undefined, o: StackOptions,
): StackResult {
  const p = plan(op, kind, x, params, o);
  checkState(op, 'h0', h0, p);
  if (kind === 'lstm') {
    checkState(op, 'c0', c0, p);
    if ((h0 == null) !== (c0 == null)) {
      throw new FoveaError({ op, arg: 'c0', expected: 'given together with h0 (or both absent)', got: h0 == null ? 'c0 without h0' : 'h0 without c0' });
    }
  }
  const nl = o.nonlinearity ?? 'tanh';
  const batchFirst = o.batchFirst ?? true;
  const drop = o.dropout ?? 0;
  return tf.tidy((): StackResult => {
    const { B, H, L, dirs, bias } = p;
    let layerIn = p.unbatched ? tf.expandDims(x, 0) : batchFirst ? x : tf.transpose(x, [1, 0, 2]); // [B, T, I]
    const states = (s: tf.Tensor | null | undefined): tf.Tensor[] => {
      if (s == null) return Array.from({ length: L * dirs }, () => tf.zeros([B, H]));
      const s3 = p.unbatched ? tf.expandDims(s, 1) : s; // [L·dirs, B, H]
      // tfjs 4.22's Unpack and SplitV gradients fail for a single output
      if (L * dirs === 1) return [tf.reshape(s3, [B, H])];
      return tf.split(s3, L * dirs, 0).map((t) => tf.reshape(t, [B, H])); // L·dirs × [B, H]
    };
    const hs = states(h0), cs = kind === 'lstm' ? states(c0) : [];
    const hN: tf.Tensor[] = [], cN: tf.Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const outs: tf.Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const [wi, wh, bi, bh] = paramNames(l, d === 1 ? '_reverse' : '', bias).map((n) => params[n] ?? null);
        const idx = l * dirs + d;
        const common = { x: layerIn, h0: hs[idx]!, wih: wi!, whh: wh!, bih: bi ?? null, bhh: bh ?? null };
        const r: SeqResult = kind === 'lstm' ? lstmSequence({ ...common, c0: cs[idx]! }, d === 1)
          : kind === 'gru' ? gruSequence(common, d === 1) : rnnSequence(common, nl, d === 1);
        outs.push(r.output);
        hN.push(r.hN);
        if (r.cN) cN.push(r.cN);
      }
      layerIn = dirs === 2 ? tf.concat(outs, 2) : outs[0]!; // [B, T, H·dirs]
      if (drop > 0 && o.training && l < L - 1) layerIn = dropout(layerIn, { p: drop, training: true, ...(o.generator ? { generator: o.generator } : {}) });
    }
    const output = p.unbatched ? tf.squeeze(layerIn, [0]) : batchFirst ? layerIn : tf.transpose(layerIn, [1, 0, 2]);
    const pack = (list: tf.Tensor[]): tf.Tensor => (p.unbatched ? tf.squeeze(tf.stack(list), [1]) : tf.stack(list)); // [L·dirs, B, H]
    const res: StackResult = { output, hN: pack(hN) };
    if (kind === 'lstm') res.cN = pack(cN);
    return res;
  });
}
