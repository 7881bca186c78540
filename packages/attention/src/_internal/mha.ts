/** Private helpers of multi-head attention: projections, head split/merge and masks. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, formatShape, type DimBindings } from '@fovea/core';
import { linear } from '@fovea/layers';
import { additiveMask, causalAdditive, combineMasks } from './masks.js';

/** Projection weights in Fovea's layouts (`[in, out]`). */
export interface Projections {
  inProjWeight: tf.Tensor | null; // [E, 3E]
  qProjWeight: tf.Tensor | null; // [E, E]
  kProjWeight: tf.Tensor | null; // [kdim, E]
  vProjWeight: tf.Tensor | null; // [vdim, E]
  inProjBias: tf.Tensor | null; // [3E]
}

/** Checks the projection weights against `E` and the key/value widths; returns whether they are packed. */
export function checkProjections(op: string, w: Projections, e: number, kdim: number, vdim: number): boolean {
  const packed = w.inProjWeight !== null && w.inProjWeight !== undefined;
  if (packed) {
    if (kdim !== e || vdim !== e) {
      throw new FoveaError({ op, arg: 'weights.inProjWeight', expected: 'separate q/k/v projection weights when key or value width differs from E', got: `E = ${e}, key width ${kdim}, value width ${vdim}` });
    }
    checkTensor(op, 'weights.inProjWeight', w.inProjWeight, { shape: [e, 3 * e], dtype: 'float32' });
  } else {
    for (const [name, t, din] of [['qProjWeight', w.qProjWeight, e], ['kProjWeight', w.kProjWeight, kdim], ['vProjWeight', w.vProjWeight, vdim]] as const) {
      if (!t) throw new FoveaError({ op, arg: `weights.${name}`, expected: `a [${din}, ${e}] tensor (or a packed inProjWeight)`, got: String(t) });
      checkTensor(op, `weights.${name}`, t, { shape: [din, e], dtype: 'float32' });
    }
  }
  if (w.inProjBias) checkTensor(op, 'weights.inProjBias', w.inProjBias, { shape: [3 * e], dtype: 'float32' });
  return packed;
}

/**
 * Projects query, key and value to `[B, T, E]` each. The packed `[E, 3E]`
 * weight is split (small) rather than the projected `[B, T, 3E]` activations:
 * three matmuls beat one matmul plus a split of the last axis (slow on wasm)
 * or a rank-5 transpose (slow on wasm, wrong on tfjs-webgpu 4.22).
 */
export function projectQkv(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, w: Projections): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const biases = w.inProjBias ? tf.split(w.inProjBias, 3) : [null, null, null];
  const [wq, wk, wv] = w.inProjWeight ? tf.split(w.inProjWeight, 3, 1) : [w.qProjWeight!, w.kProjWeight!, w.vProjWeight!]; // [E | kdim | vdim, E]
  return [linear(query, wq!, biases[0]!), linear(key, wk!, biases[1]!), linear(value, wv!, biases[2]!)];
}

/** `[B, T, nh·hs]` → `[B, nh, T, hs]`. */
export function splitHeads(x: tf.Tensor, nh: number): tf.Tensor {
  const [b, t, e] = x.shape as [number, number, number];
  const hs = e / nh;
  return tf.transpose(tf.reshape(x, [b, t, nh, hs]), [0, 2, 1, 3]); // [B, nh, T, hs]
}

/** `[B, nh, T, hs]` → `[B, T, nh·hs]`. */
export function mergeHeads(x: tf.Tensor): tf.Tensor {
  const [b, nh, t, hs] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, nh * hs]); // [B, T, E]
}

/** Masks of a multi-head attention call, PyTorch's conventions (bool `true` = blocked). */
export interface MhaMasks {
  keyPaddingMask: tf.Tensor | null; // [B, Nk]
  attnMask: tf.Tensor | null; // [Nq, Nk] or [B·nh, Nq, Nk]
  isCausal: boolean;
}

/** Checks the masks against `[B, nh, Nq, Nk]`. */
export function checkMhaMasks(op: string, m: MhaMasks, b: number, nh: number, nq: number, nk: number): void {
  const dims: DimBindings = { B: b, Nq: nq, Nk: nk };
  if (m.keyPaddingMask) checkTensor(op, 'options.keyPaddingMask', m.keyPaddingMask, { shape: ['B', 'Nk'], dtype: ['bool', 'float32'] }, dims);
  if (m.attnMask) {
    const a = m.attnMask;
    checkTensor(op, 'options.attnMask', a, { dtype: ['bool', 'float32'] });
    const ok = (a.rank === 2 && a.shape[0] === nq && a.shape[1] === nk) || (a.rank === 3 && a.shape[0] === b * nh && a.shape[1] === nq && a.shape[2] === nk);
    if (!ok) {
      throw new FoveaError({ op, arg: 'options.attnMask', expected: `shape [Nq, Nk] = ${formatShape([nq, nk])} or [B·nh, Nq, Nk] = ${formatShape([b * nh, nq, nk])}`, got: `shape ${formatShape(a.shape)}` });
    }
  }
}

/** Pads the key axis (the last) of an additive mask with `extra` allowed (0) columns. */
function padKeys(m: tf.Tensor, extra: number): tf.Tensor {
  if (extra === 0) return m;
  const pads = m.shape.map((): [number, number] => [0, 0]);
  pads[pads.length - 1] = [0, extra];
  return tf.pad(m, pads);
}

/**
 * The additive mask broadcastable to `[B, nh, Nq, Nk + extra]`, or null:
 * `extra` allowed keys were appended (`bias_k`, zero attention).
 */
export function mhaAdditiveMask(m: MhaMasks, b: number, nh: number, nq: number, nk: number, extra: number): tf.Tensor | null {
  const parts: (tf.Tensor | null)[] = [];
  if (m.keyPaddingMask) parts.push(tf.reshape(padKeys(additiveMask(m.keyPaddingMask, true), extra), [b, 1, 1, nk + extra])); // [B, 1, 1, Nk']
  if (m.attnMask) {
    const a = padKeys(additiveMask(m.attnMask, true), extra);
    parts.push(a.rank === 3 ? tf.reshape(a, [b, nh, nq, nk + extra]) : a); // [B, nh, Nq, Nk'] or [Nq, Nk']
  }
  if (m.isCausal) parts.push(padKeys(causalAdditive(nq, nk), extra)); // [Nq, Nk']
  return combineMasks(parts);
}
