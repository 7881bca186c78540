/**
 * Private: multi-head attention with the heads packed into rows, for many
 * small heads on wasm.
 *
 * tfjs-backend-wasm multiplies a batch of matrices one XNNPACK call at a
 * time, which costs tens of microseconds per matrix whatever its size: for a
 * ViT on 28×28 digits (17 tokens, 4 heads of 16) the `[B·nh]` tiny products
 * took half of a training step. Here each sequence's heads share one product:
 * the queries are repeated once per head with the other heads' features
 * zeroed (`[B, nh·Nq, E]`), so `Q·Kᵀ` gives every head's scores at once, and
 * the weighted values are masked back to their own head's features and
 * summed over heads — which is also the head merge. Exact (the extra terms
 * are exact zeros), `nh` times the multiply-adds of the two attention
 * products, `B` matrices instead of `B·nh`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '@fovea/layers';
import type { AttentionOutput, AttendSpec } from '../attention/scaled-dot-product-attention.js';
import { genOpt } from './args.js';

/**
 * Whether packing pays: on wasm only, when one head's products are small
 * (a per-matrix call costs about as much as ~10⁵ multiply-adds there) and the
 * `nh`-fold extra work stays below that.
 */
export function packedHeadsPay(nh: number, nq: number, nk: number, hs: number): boolean {
  return tf.getBackend() === 'wasm' && nh > 1 && (nh - 1) * nq * nk * hs <= 65536;
}

/** `[1, nh, 1, E]`: 1 on head `h`'s features `[h·hs, (h+1)·hs)` in row `h`. */
function headMask(nh: number, e: number): tf.Tensor4D {
  const hs = e / nh;
  const data = new Float32Array(nh * e);
  for (let h = 0; h < nh; h++) data.fill(1, h * e + h * hs, h * e + (h + 1) * hs);
  return tf.tensor4d(data, [1, nh, 1, e]);
}

/**
 * Attention of `q [B, Nq, E]` over `k, v [B, Nk, E]` with `nh` heads, heads
 * packed: returns the merged output `[B, Nq, E]` (before the output
 * projection) and the weights `[B, nh, Nq, Nk]`.
 */
export function attendPacked(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, nh: number, s: AttendSpec, mask: () => tf.Tensor | null): AttentionOutput {
  const [b, nq, e] = q.shape as [number, number, number];
  const nk = k.shape[1]!;
  const weights = tf.tidy(() => {
    const m = headMask(nh, e);
    const qs = s.scale === 1 ? q : tf.mul(q, tf.scalar(s.scale)); // [B, Nq, E]
    const rows = tf.reshape(tf.mul(tf.expandDims(qs, 1), m), [b, nh * nq, e]); // [B, nh·Nq, E]: row block h keeps head h
    let scores = tf.reshape(tf.matMul(rows, k, false, true), [b, nh, nq, nk]); // [B, nh, Nq, Nk]
    const add = mask();
    if (add) scores = tf.add(scores, add);
    return tf.softmax(scores); // [B, nh, Nq, Nk]
  });
  const output = tf.tidy(() => {
    const w = s.p > 0 ? dropout(weights, { p: s.p, ...genOpt(s.generator) }) : weights;
    const all = tf.reshape(tf.matMul(tf.reshape(w, [b, nh * nq, nk]), v), [b, nh, nq, e]); // [B, nh, Nq, E]: every head's weights × all features
    return tf.sum(tf.mul(all, headMask(nh, e)), 1); // [B, Nq, E]: head h's features from row block h
  });
  return { output, weights };
}
