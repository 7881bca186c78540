/**
 * One GRU layer in one direction over a whole sequence, as a single
 * `tf.customGrad` op (see lstm-seq.ts for the scheme). PyTorch's gate order
 * (r, z, n) and equations: `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`,
 * `h' = (1 − z) ⊙ n + z ⊙ h`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './custom-op.js';
import { splitEven, unstackFast } from './fast-split.js';
import { colSum, fastTanh, previousInTime, stepOrder, type SeqResult } from './seq-common.js';

/** Inputs of {@link gruSequence}; biases are both present or both absent. */
export interface GruSeqInputs {
  /** `[B, T, I]`. */
  x: tf.Tensor;
  /** `[B, H]`. */
  h0: tf.Tensor;
  /** `[3H, I]`. */
  wih: tf.Tensor;
  /** `[3H, H]`. */
  whh: tf.Tensor;
  /** `[3H]` or null. */
  bih: tf.Tensor | null;
  /** `[3H]` or null. */
  bhh: tf.Tensor | null;
}

/** Forward recurrence: packed `[T, B, H]` outputs and, for backward, r, z, n and `W_hn h + b_hn` as `[T, B, H]` (time order). */
function runForward(x: tf.Tensor, h0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, bih: tf.Tensor | null, bhh: tf.Tensor | null, reverse: boolean) {
  const [B, T, I] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]); // [T·B, I]
  const xp = tf.fused.matMul({ a: xT, b: tf.transpose(wih), bias: bih ?? undefined }); // [T·B, 3H]
  const [xr, xz, xn] = splitEven(tf.reshape(xp, [T, B, 3 * H]), 3, 2).map((p) => unstackFast(p)) as [tf.Tensor[], tf.Tensor[], tf.Tensor[]];
  const whhT = tf.transpose(whh); // [H, 3H]
  const hs: tf.Tensor[] = new Array(T), rs: tf.Tensor[] = new Array(T), zs: tf.Tensor[] = new Array(T);
  const ns: tf.Tensor[] = new Array(T), hns: tf.Tensor[] = new Array(T);
  const ones = tf.ones([B, H]); // same-shape operands for the per-step tanh on wasm
  let h = h0;
  for (const t of stepOrder(T, reverse)) {
    const hp = tf.fused.matMul({ a: h, b: whhT, bias: bhh ?? undefined }); // [B, 3H]
    const [hr, hz, hn] = splitEven(hp, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const r = tf.sigmoid(tf.add(xr[t]!, hr));
    const z = tf.sigmoid(tf.add(xz[t]!, hz));
    const n = fastTanh(tf.add(xn[t]!, tf.mul(r, hn)), ones);
    h = tf.add(n, tf.mul(z, tf.sub(h, n)));
    hs[t] = h; rs[t] = r; zs[t] = z; ns[t] = n; hns[t] = hn;
  }
  return { packed: tf.stack(hs), saved: [rs, zs, ns, hns].map((l) => tf.stack(l)) };
}

/** Gradients of every input from dL/d(output) `[T, B, H]` and the saved activations. */
function runBackward(dy: tf.Tensor, x: tf.Tensor, h0: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor, hs: tf.Tensor, saved: tf.Tensor[], reverse: boolean) {
  const [B, T, I] = x.shape as [number, number, number];
  const H = whh.shape[1]!;
  const [R, Z, N, HN] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const one = tf.scalar(1);
  const Hp = previousInTime(hs, h0, reverse); // h_{t-1}, [T, B, H]
  const sigD = (v: tf.Tensor): tf.Tensor => tf.mul(v, tf.sub(one, v));
  const K1 = tf.mul(tf.sub(one, Z), tf.sub(one, tf.square(N))); // dh → d(n pre-activation)
  const K2 = tf.mul(tf.sub(Hp, N), sigD(Z)); // dh → d(z pre-activation)
  const K3 = tf.mul(HN, sigD(R)); // d(n pre-act) → d(r pre-activation)
  const [k1, k2, k3, rr, zz, dys] = [K1, K2, K3, R, Z, dy].map((v) => unstackFast(v)) as tf.Tensor[][];
  const dXs: tf.Tensor[] = new Array(T), dHs: tf.Tensor[] = new Array(T);
  const order = stepOrder(T, !reverse);
  let dh = dys![order[0]!]!;
  let dh0: tf.Tensor | null = null;
  order.forEach((t, k) => {
    const dan = tf.mul(dh, k1![t]!); // [B, H]
    const daz = tf.mul(dh, k2![t]!);
    const dar = tf.mul(dan, k3![t]!);
    dXs[t] = tf.concat([dar, daz, dan], 1); // [B, 3H] grads of the input-side pre-activations
    dHs[t] = tf.concat([dar, daz, tf.mul(dan, rr![t]!)], 1); // [B, 3H] grads of W_hh h + b_hh
    const prev = tf.add(tf.matMul(dHs[t]!, whh), tf.mul(dh, zz![t]!)); // [B, H]
    const next = order[k + 1];
    if (next === undefined) dh0 = prev;
    else dh = tf.add(dys![next]!, prev);
  });
  const dX2 = tf.reshape(tf.concat(dXs, 0), [T * B, 3 * H]); // [T·B, 3H], time order
  const dH2 = tf.reshape(tf.concat(dHs, 0), [T * B, 3 * H]);
  const xT = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]);
  return { // each computed only when the tape asks for it (see custom-op.ts)
    dx: () => tf.transpose(tf.reshape(tf.matMul(dX2, wih), [T, B, I]), [1, 0, 2]), // [B, T, I]
    dh0: () => (dh0 ? tf.clone(dh0) : tf.zeros([B, H])),
    dwih: () => tf.transpose(tf.matMul(xT, dX2, true, false)), // [3H, I]
    dwhh: () => tf.transpose(tf.matMul(tf.reshape(Hp, [T * B, H]), dH2, true, false)), // [3H, H]
    dbih: () => colSum(dX2),
    dbhh: () => colSum(dH2),
  };
}

/** Runs one GRU layer in one direction (`reverse`: t = T-1 → 0, outputs at their own index). */
export function gruSequence(inp: GruSeqInputs, reverse: boolean): SeqResult {
  const { x, h0, wih, whh, bih, bhh } = inp;
  const [B, T] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  const withBias = bih !== null && bhh !== null;
  const ins = withBias ? [x, h0, wih, whh, bih!, bhh!] : [x, h0, wih, whh];
  return tf.tidy(() => {
    const packed = customOp(ins, (save) => { // [T, B, H]
      const { packed: p, saved } = runForward(x, h0, wih, whh, withBias ? bih : null, withBias ? bhh : null, reverse);
      save([x, h0, wih, whh, p, ...saved]);
      return p;
    }, (dy, s) => {
      const [sx, sh, swi, swh, sp, ...acts] = s as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, ...tf.Tensor[]];
      const g = runBackward(dy, sx, sh, swi, swh, sp, acts, reverse);
      const grads = [g.dx, g.dh0, g.dwih, g.dwhh];
      return withBias ? [...grads, g.dbih, g.dbhh] : grads;
    });
    const last = reverse ? 0 : T - 1;
    return {
      output: tf.transpose(packed, [1, 0, 2]), // [B, T, H]
      hN: tf.reshape(tf.slice(packed, [last, 0, 0], [1, B, H]), [B, H]),
    };
  });
}
