/**
 * One Elman RNN layer (`h' = act(W_ih x + b_ih + W_hh h + b_hh)`, act tanh or
 * relu) in one direction over a whole sequence, as a single `tf.customGrad`
 * op (see lstm-seq.ts for the scheme).
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './custom-op.js';
import { unstackFast } from './fast-split.js';
import { colSum, previousInTime, stepOrder, type SeqResult } from './seq-common.js';

/** The nonlinearity of a vanilla RNN (PyTorch's `nonlinearity`). @category Recurrent */
export type RNNNonlinearity = 'tanh' | 'relu';

/** Inputs of {@link rnnSequence}. */
export interface RnnSeqInputs {
  /** `[B, T, I]`. */
  x: tf.Tensor;
  /** `[B, H]`. */
  h0: tf.Tensor;
  /** `[H, I]`. */
  wih: tf.Tensor;
  /** `[H, H]`. */
  whh: tf.Tensor;
  /** `[H]` or null. */
  bih: tf.Tensor | null;
  /** `[H]` or null. */
  bhh: tf.Tensor | null;
}

function runForward(x: tf.Tensor, h0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, bias: tf.Tensor | null, act: RNNNonlinearity, reverse: boolean): tf.Tensor {
  const [B, T, I] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  // tanh(a) = 2σ(2a) − 1 on wasm, where Tanh is slow: fold the 2 into the weights
  const viaSigmoid = act === 'tanh' && tf.getBackend() === 'wasm';
  const k = viaSigmoid ? tf.scalar(2) : null;
  const scale = (w: tf.Tensor): tf.Tensor => (k ? tf.mul(w, k) : w);
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]); // [T·B, I]
  const xp = tf.fused.matMul({ a: xT, b: scale(tf.transpose(wih)), bias: bias ? scale(bias) : undefined }); // [T·B, H]
  const xs = unstackFast(tf.reshape(xp, [T, B, H])); // T × [B, H]
  const whhT = scale(tf.transpose(whh)); // [H, H]
  const ones = viaSigmoid ? tf.ones([B, H]) : null; // same-shape operands: wasm's broadcasting binary ops are slow
  const hs: tf.Tensor[] = new Array(T);
  let h = h0;
  for (const t of stepOrder(T, reverse)) {
    if (viaSigmoid) {
      const s = tf.fused.matMul({ a: h, b: whhT, bias: xs[t]!, activation: 'sigmoid' }); // σ(2a)
      h = tf.sub(tf.add(s, s), ones!);
    } else {
      const a = tf.add(xs[t]!, tf.matMul(h, whhT)); // [B, H]
      h = act === 'relu' ? tf.relu(a) : tf.tanh(a);
    }
    hs[t] = h;
  }
  return tf.stack(hs); // [T, B, H], time order
}

function runBackward(dy: tf.Tensor, x: tf.Tensor, h0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, hs: tf.Tensor, act: RNNNonlinearity, reverse: boolean) {
  const [B, T, I] = x.shape as [number, number, number];
  const H = whh.shape[1]!;
  const D = act === 'relu' ? tf.cast(tf.greater(hs, 0), 'float32') : tf.sub(1, tf.square(hs)); // act'(a) from h
  const Ds = unstackFast(D), dys = unstackFast(dy);
  const dAs: tf.Tensor[] = new Array(T);
  const order = stepOrder(T, !reverse);
  let dh = dys[order[0]!]!;
  let dh0: tf.Tensor | null = null;
  order.forEach((t, k) => {
    const da = tf.mul(dh, Ds[t]!); // [B, H]
    dAs[t] = da;
    const back = tf.matMul(da, whh); // [B, H]
    const next = order[k + 1];
    if (next === undefined) dh0 = back;
    else dh = tf.add(dys[next]!, back);
  });
  const dA2 = tf.reshape(tf.concat(dAs, 0), [T * B, H]); // [T·B, H], time order
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]);
  const Hp = previousInTime(hs, h0, reverse);
  return { // each computed only when the tape asks for it (see custom-op.ts)
    dx: () => tf.transpose(tf.reshape(tf.matMul(dA2, wih), [T, B, I]), [1, 0, 2]), // [B, T, I]
    dh0: () => (dh0 ? tf.clone(dh0) : tf.zeros([B, H])),
    dwih: () => tf.transpose(tf.matMul(xT, dA2, true, false)), // [H, I]
    dwhh: () => tf.transpose(tf.matMul(tf.reshape(Hp, [T * B, H]), dA2, true, false)), // [H, H]
    db: () => colSum(dA2),
  };
}

/** Runs one vanilla RNN layer in one direction (`reverse`: t = T-1 → 0, outputs at their own index). */
export function rnnSequence(inp: RnnSeqInputs, act: RNNNonlinearity, reverse: boolean): SeqResult {
  const { x, h0, wih, whh, bih, bhh } = inp;
  const [B, T] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  const withBias = bih !== null && bhh !== null;
  const ins = withBias ? [x, h0, wih, whh, bih!, bhh!] : [x, h0, wih, whh];
  return tf.tidy(() => {
    const packed = customOp(ins, (save) => { // [T, B, H]
      const p = runForward(x, h0, wih, whh, withBias ? tf.add(bih!, bhh!) : null, act, reverse);
      save([x, h0, wih, whh, p]);
      return p;
    }, (dy, s) => {
      const [sx, sh, swi, swh, sp] = s as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const g = runBackward(dy, sx, sh, swi, swh, sp, act, reverse);
      const grads = [g.dx, g.dh0, g.dwih, g.dwhh];
      return withBias ? [...grads, g.db, g.db] : grads;
    });
    const last = reverse ? 0 : T - 1;
    return {
      output: tf.transpose(packed, [1, 0, 2]), // [B, T, H]
      hN: tf.reshape(tf.slice(packed, [last, 0, 0], [1, B, H]), [B, H]),
    };
  });
}
