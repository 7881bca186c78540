/**
 * One LSTM layer in one direction over a whole sequence, as a single
 * `tf.customGrad` op. Forward: the input projection of every step is one
 * matmul up front, then one `[B, H] x [H, 4H]` matmul and a few elementwise
 * ops per step; the gate activations are saved. Backward: the recurrence runs
 * in reverse with seven small ops per step, then four big matmuls give the
 * weight and input gradients. Weights stay in PyTorch's layout and gate order
 * (i, f, g, o); everything inside is time-major `[T, B, ·]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './custom-op.js';
import { splitEven, unstackFast } from './fast-split.js';
import { colSum, fastTanh, gateScales, previousInTime, stepOrder, type SeqResult } from './seq-common.js';

/** Inputs of {@link lstmSequence}; biases are both present or both absent. */
export interface LstmSeqInputs {
  /** `[B, T, I]` batch-first input. */
  x: tf.Tensor;
  /** `[B, H]` initial hidden state. */
  h0: tf.Tensor;
  /** `[B, H]` initial cell state. */
  c0: tf.Tensor;
  /** `[4H, I]` PyTorch `weight_ih`. */
  wih: tf.Tensor;
  /** `[4H, H]` PyTorch `weight_hh`. */
  whh: tf.Tensor;
  /** `[4H]` or null. */
  bih: tf.Tensor | null;
  /** `[4H]` or null. */
  bhh: tf.Tensor | null;
}

/**
 * The forward recurrence. Returns the packed value `[T+1, B, H]` (h at every
 * step in time order, then the last c) and, for backward, the gate
 * activations `[T, B, 4H]` (σ for i, f, o; σ(2a) for g) and the cell states
 * `[T+1, B, H]` in processing order (c0 first).
 */
function runForward(
  x: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, bias: tf.Tensor | null, reverse: boolean,
): { packed: tf.Tensor; acts: tf.Tensor; cells: tf.Tensor } {
  const [B, T, I] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  // σ(2a) gives tanh(a) = 2σ(2a) − 1 for the g gate: one sigmoid for all four gates
  const s = gateScales([1, 1, 2, 1], H); // [4H]
  const ones = tf.ones([B, H]); // same-shape operands: wasm's broadcasting binary ops are slow
  const wihT = tf.mul(tf.transpose(wih), s); // [I, 4H]
  const whhT = tf.mul(tf.transpose(whh), s); // [H, 4H]
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]); // [T·B, I]
  const xp = tf.fused.matMul({ a: xT, b: wihT, bias: bias ? tf.mul(bias, s) : undefined }); // [T·B, 4H]
  const xs = unstackFast(tf.reshape(xp, [T, B, 4 * H])); // T × [B, 4H]
  const hs: tf.Tensor[] = new Array(T), acts: tf.Tensor[] = [], cells: tf.Tensor[] = [c0];
  let h = h0, c = c0;
  for (const t of stepOrder(T, reverse)) {
    const act = tf.sigmoid(tf.add(xs[t]!, tf.matMul(h, whhT))); // [B, 4H]
    const [i, f, sg, o] = splitEven(act, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // 4 × [B, H]
    const g = tf.sub(tf.add(sg, sg), ones); // 2σ(2a) − 1 = tanh of the g pre-activation
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    h = tf.mul(o, fastTanh(c, ones));
    hs[t] = h;
    acts.push(act);
    cells.push(c);
  }
  return { packed: tf.stack([...hs, c]), acts: tf.stack(acts), cells: tf.stack(cells) };
}

/** The gradients of each input, computed only when called (see custom-op.ts). */
interface LstmGrads {
  dx: () => tf.Tensor; dh0: () => tf.Tensor; dc0: () => tf.Tensor; dwih: () => tf.Tensor; dwhh: () => tf.Tensor; db: () => tf.Tensor;
}

/** `[T+1, B, H]` states in processing order (s0 first) → `[T, B, H]` the state before each step, in time order. */
function previousStates(states: tf.Tensor, T: number, reverse: boolean): tf.Tensor {
  const prev = tf.slice(states, [0, 0, 0], [T, -1, -1]); // processing order
  return reverse ? tf.reverse(prev, 0) : prev;
}

/** Gradients of every input from dL/d(packed) `[T+1, B, H]` and what the forward pass saved. */
function runBackward(
  dy: tf.Tensor, x: tf.Tensor, h0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, packed: tf.Tensor, acts: tf.Tensor, cells: tf.Tensor, reverse: boolean,
): LstmGrads {
  const [B, T, I] = x.shape as [number, number, number];
  const H = whh.shape[1]!;
  const one = tf.scalar(1);
  // everything that does not depend on the recurrence, for all steps at once, time order
  const actsT = reverse ? tf.reverse(acts, 0) : acts; // [T, B, 4H]
  const [Ig, Fg, Sg, Og] = splitEven(actsT, 4, 2) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // [T, B, H]
  const Gg = tf.sub(tf.mul(Sg, tf.scalar(2)), one);
  const Cp = previousStates(cells, T, reverse); // c_{t-1}
  const cAfter = tf.slice(cells, [1, 0, 0], [T, -1, -1]);
  const TC = fastTanh(reverse ? tf.reverse(cAfter, 0) : cAfter); // tanh(c_t), time order
  const sigD = (v: tf.Tensor): tf.Tensor => tf.mul(v, tf.sub(one, v));
  const A = tf.mul(Og, tf.sub(one, tf.square(TC))); // dh → dc through tanh(c)
  const Bcat = tf.concat([tf.mul(Gg, sigD(Ig)), tf.mul(Cp, sigD(Fg)), tf.mul(Ig, tf.sub(one, tf.square(Gg))), tf.mul(TC, sigD(Og))], 2); // [T, B, 4H]
  const As = unstackFast(A), Bs = unstackFast(Bcat), Fs = unstackFast(Fg), dyParts = unstackFast(dy); // per step
  const dGs: tf.Tensor[] = new Array(T);
  const order = stepOrder(T, !reverse);
  let dc = dyParts[T]!; // dL/dc_T
  let dh = dyParts[order[0]!]!; // dL/dh_t: from the output at t and from the step after
  let dh0: tf.Tensor | null = null;
  order.forEach((t, k) => {
    dc = tf.add(dc, tf.mul(dh, As[t]!));
    const dG = tf.mul(tf.concat([dc, dc, dc, dh], 1), Bs[t]!); // [B, 4H] pre-activation grads
    dGs[t] = dG;
    const next = order[k + 1];
    if (next === undefined) dh0 = tf.matMul(dG, whh); // [B, H]
    else dh = tf.add(dyParts[next]!, tf.matMul(dG, whh)); // [B, H]
    dc = tf.mul(dc, Fs[t]!);
  });
  const dG2 = tf.reshape(tf.concat(dGs, 0), [T * B, 4 * H]); // [T·B, 4H], time order
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]); // [T·B, I]
  const Hp = previousInTime(tf.slice(packed, [0, 0, 0], [T, B, H]), h0, reverse); // h_{t-1}, time order
  const dc0 = dc;
  return {
    dx: () => tf.transpose(tf.reshape(tf.matMul(dG2, wih), [T, B, I]), [1, 0, 2]), // [B, T, I]
    dh0: () => (dh0 ? tf.clone(dh0) : tf.zeros([B, H])),
    dc0: () => tf.clone(dc0),
    dwih: () => tf.transpose(tf.matMul(xT, dG2, true, false)), // [4H, I]
    dwhh: () => tf.transpose(tf.matMul(tf.reshape(Hp, [T * B, H]), dG2, true, false)), // [4H, H]
    db: () => colSum(dG2), // [4H]
  };
}

/**
 * Runs one LSTM layer in one direction. `reverse` processes t = T-1 → 0 and
 * stores each output at its own time index (PyTorch's `_reverse` direction).
 */
export function lstmSequence(inp: LstmSeqInputs, reverse: boolean): SeqResult {
  const { x, h0, c0, wih, whh, bih, bhh } = inp;
  const [B, T] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  const withBias = bih !== null && bhh !== null;
  const ins = withBias ? [x, h0, c0, wih, whh, bih!, bhh!] : [x, h0, c0, wih, whh];
  return tf.tidy(() => {
    const packed = customOp(ins, (save) => { // [T+1, B, H]
      const { packed: p, acts, cells } = runForward(x, h0, c0, wih, whh, withBias ? tf.add(bih!, bhh!) : null, reverse);
      save([x, h0, wih, whh, p, acts, cells]);
      return p;
    }, (dy, s) => {
      const [sx, sh0, swi, swh, sp, sa, sc] = s as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const g = runBackward(dy, sx, sh0, swi, swh, sp, sa, sc, reverse);
      const grads = [g.dx, g.dh0, g.dc0, g.dwih, g.dwhh];
      return withBias ? [...grads, g.db, g.db] : grads;
    });
    const last = reverse ? 0 : T - 1;
    return {
      output: tf.transpose(tf.slice(packed, [0, 0, 0], [T, B, H]), [1, 0, 2]), // [B, T, H]
      hN: tf.reshape(tf.slice(packed, [last, 0, 0], [1, B, H]), [B, H]),
      cN: tf.reshape(tf.slice(packed, [T, 0, 0], [1, B, H]), [B, H]),
    };
  });
}
