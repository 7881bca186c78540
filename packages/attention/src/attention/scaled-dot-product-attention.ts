import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, formatShape, type Generator } from '@fovea/core';
import { dropout } from '@fovea/layers';
import { checkBool, checkRate, connectedZeros, genOpt } from '../_internal/args.js';
import { additiveMask, causalAdditive, combineMasks } from '../_internal/masks.js';

/** Options for {@link scaledDotProductAttention}. @category Attention */
export interface ScaledDotProductAttentionOptions {
  /**
   * Which keys each query may attend, broadcast against the scores
   * `[..., Nq, Nk]`: a **bool** mask where `true` means *may attend* (PyTorch's
   * `F.scaled_dot_product_attention` convention), or a float32 mask added to
   * the scores (`-Infinity` blocks). Default none.
   */
  mask?: tf.Tensor | null;
  /** Causal masking: query `i` may attend key `j` iff `j <= i` (top-left aligned, also when `Nq ≠ Nk`); combined with `mask`. Default `false`. */
  isCausal?: boolean;
  /** Multiplies the scores `q·kᵀ`; default `1/√D`. */
  scale?: number | null;
  /** Dropout on the attention weights (training only); default 0. */
  dropoutP?: number;
  /** Whether dropout is active; default `true` (it only matters when `dropoutP > 0`). */
  training?: boolean;
  /** Random source for dropout (default: core's default generator). */
  generator?: Generator;
}

/** What {@link scaledDotProductAttention} returns. @category Attention */
export interface AttentionOutput {
  /** `[..., Nq, Dv]` the attended values. */
  output: tf.Tensor;
  /** `[..., Nq, Nk]` the attention weights (softmax probabilities, before dropout). */
  weights: tf.Tensor;
}

/** Checks q, k, v and returns `[lead, Nq, Nk, D, Dv]`. */
function checkQkv(op: string, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): [number[], number, number, number, number] {
  checkTensor(op, 'q', q, { minRank: 2, dtype: 'float32' });
  checkTensor(op, 'k', k, { rank: q.rank, dtype: 'float32' });
  checkTensor(op, 'v', v, { rank: q.rank, dtype: 'float32' });
  const lead = q.shape.slice(0, -2);
  const [nq, d] = q.shape.slice(-2) as [number, number];
  const [nk, dk] = k.shape.slice(-2) as [number, number];
  const [nv, dv] = v.shape.slice(-2) as [number, number];
  if (d < 1) throw new FoveaError({ op, arg: 'q', expected: 'a head size D >= 1', got: `shape ${formatShape(q.shape)}` });
  if (dk !== d || k.shape.slice(0, -2).some((s, i) => s !== lead[i])) {
    throw new FoveaError({ op, arg: 'k', expected: `shape ${formatShape([...lead, 'Nk', d])} (q is ${formatShape(q.shape)}: same leading dims and head size D)`, got: `shape ${formatShape(k.shape)}` });
  }
  if (nv !== nk || v.shape.slice(0, -2).some((s, i) => s !== lead[i])) {
    throw new FoveaError({ op, arg: 'v', expected: `shape ${formatShape([...lead, nk, 'Dv'])} (one value per key)`, got: `shape ${formatShape(v.shape)}` });
  }
  return [lead, nq, nk, d, dv];
}

/** Checks that a mask broadcasts against the scores `[..., Nq, Nk]`. */
function checkMask(op: string, arg: string, mask: tf.Tensor, scores: number[]): void {
  checkTensor(op, arg, mask, { dtype: ['bool', 'float32'] });
  const ok = mask.rank <= scores.length && mask.rank >= 2 && mask.shape.every((s, i) => {
    const t = scores[scores.length - mask.rank + i]!;
    return s === t || s === 1;
  });
  if (!ok) {
    throw new FoveaError({ op, arg, expected: `a bool or float32 mask broadcastable to the scores ${formatShape(scores)} (at least [Nq, Nk])`, got: `${mask.dtype} shape ${formatShape(mask.shape)}` });
  }
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017), PyTorch's
 * `F.scaled_dot_product_attention` that also returns the weights:
 * `weights = softmax(q·kᵀ·scale + mask)`, `output = weights · v`, over any
 * leading dims (`[B, nh]` for multi-head attention). Blocked positions get
 * `-Infinity` before the softmax, so their weights are exactly 0; a query
 * whose keys are all blocked gives NaN, as in PyTorch. Differentiable in
 * `q`, `k` and `v`.
 *
 * @param q `[..., Nq, D]` queries.
 * @param k `[..., Nk, D]` keys (same leading dims and `D` as `q`).
 * @param v `[..., Nk, Dv]` values, one per key.
 * @param opts mask (bool: `true` = may attend), isCausal, scale, dropoutP, training, generator.
 * @returns `output` `[..., Nq, Dv]` and `weights` `[..., Nq, Nk]` (the caller disposes both).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { scaledDotProductAttention } from '@fovea/attention';
 * const q = tf.randomNormal([2, 4, 10, 16]); // [B, nh, T, hs]
 * const { output, weights } = scaledDotProductAttention(q, q, q, { isCausal: true });
 * output.shape;  // [2, 4, 10, 16]
 * weights.shape; // [2, 4, 10, 10], zero above the diagonal
 * ```
 * @category Attention
 */
export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, opts: ScaledDotProductAttentionOptions = {}): AttentionOutput {
  const op = 'scaledDotProductAttention';
  const [lead, nq, nk, d, dv] = checkQkv(op, q, k, v);
  const mask = opts.mask ?? null;
  if (mask !== null) checkMask(op, 'options.mask', mask, [...lead, nq, nk]);
  const isCausal = checkBool(op, 'options.isCausal', opts.isCausal ?? false);
  const scale = opts.scale === null || opts.scale === undefined ? 1 / Math.sqrt(d) : checkNumber(op, 'options.scale', opts.scale);
  const p = checkRate(op, 'options.dropoutP', opts.dropoutP ?? 0);
  const training = checkBool(op, 'options.training', opts.training ?? true);
  return attend(q, k, v, { lead, nq, nk, d, dv, scale, p: training ? p : 0, generator: opts.generator }, mask === null ? null : () => additiveMask(mask, false), isCausal);
}

/** @internal Resolved shapes and settings for {@link attend}. */
export interface AttendSpec {
  lead: number[];
  nq: number;
  nk: number;
  d: number;
  dv: number;
  scale: number;
  p: number;
  generator: Generator | undefined;
}

/**
 * @internal The attention computation after validation, shared with
 * multi-head attention: `mask` builds an additive mask (called inside the tidy).
 */
export function attend(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, s: AttendSpec, mask: (() => tf.Tensor | null) | null, isCausal: boolean): AttentionOutput {
  const { lead, nq, nk, dv } = s;
  const noScores = lead.some((x) => x === 0) || nq === 0 || nk === 0;
  if (noScores) {
    // no scores: nothing to weigh; `[..., Nq, 0] @ [..., 0, Dv]` is zeros, as in PyTorch
    return { output: connectedZeros([...lead, nq, dv], [q, k, v]), weights: connectedZeros([...lead, nq, nk], [q, k]) };
  }
  const weights = tf.tidy(() => {
    const qs = s.scale === 1 ? q : tf.mul(q, tf.scalar(s.scale)); // [..., Nq, D]
    let scores = tf.matMul(qs, k, false, true); // [..., Nq, Nk]
    const m = combineMasks([mask ? mask() : null, isCausal ? causalAdditive(nq, nk) : null]);
    if (m) scores = tf.add(scores, m);
    return tf.softmax(scores); // [..., Nq, Nk]
  });
  if (dv === 0) return { output: connectedZeros([...lead, nq, 0], [v]), weights };
  const output = tf.tidy(() => {
    const w = s.p > 0 ? dropout(weights, { p: s.p, ...genOpt(s.generator) }) : weights;
    return tf.matMul(w, v); // [..., Nq, Dv]
  });
  return { output, weights };
}
