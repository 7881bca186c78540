import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, linearWeightLayout, xavierNormal, xavierUniform, type Generator, type Parameter } from '@fovea/core';
import { Linear, linear } from '@fovea/layers';
import { checkBool, checkDivisible, checkRate, checkSize, connectedZeros, genOpt } from '../_internal/args.js';
import { setValue } from '../_internal/init.js';
import { checkMhaMasks, checkProjections, mergeHeads, mhaAdditiveMask, projectQkv, splitHeads, type Projections } from '../_internal/mha.js';
import { attendPacked, packedHeadsPay } from '../_internal/packed-attention.js';
import { tidyObject } from '../_internal/tidy.js';
import { attend, type AttentionOutput } from './scaled-dot-product-attention.js';

/**
 * The parameters of multi-head attention in Fovea's layouts (linear weights
 * `[in, out]`, PyTorch's transposed: use `linearWeightLayout.fromTorch` on a
 * PyTorch tensor, or load a state dict into {@link MultiheadAttention}).
 *
 * @category Attention
 */
export interface MultiheadAttentionWeights {
  /** `[E, 3E]` packed query/key/value projections (PyTorch's `in_proj_weight` `[3E, E]`, transposed), when key and value widths equal `E`. */
  inProjWeight?: tf.Tensor | null;
  /** `[E, E]` query projection (PyTorch's `q_proj_weight`, transposed), when not packed. */
  qProjWeight?: tf.Tensor | null;
  /** `[kdim, E]` key projection (PyTorch's `k_proj_weight` `[E, kdim]`, transposed), when not packed. */
  kProjWeight?: tf.Tensor | null;
  /** `[vdim, E]` value projection (PyTorch's `v_proj_weight` `[E, vdim]`, transposed), when not packed. */
  vProjWeight?: tf.Tensor | null;
  /** `[3E]` query/key/value biases (PyTorch's `in_proj_bias`); default none. */
  inProjBias?: tf.Tensor | null;
  /** `[1, 1, E]` a learned key appended to every sequence (PyTorch's `bias_k`); default none. */
  biasK?: tf.Tensor | null;
  /** `[1, 1, E]` its value (PyTorch's `bias_v`); given together with `biasK`. */
  biasV?: tf.Tensor | null;
  /** `[E, E]` output projection (PyTorch's `out_proj.weight`, transposed). */
  outProjWeight: tf.Tensor;
  /** `[E]` output bias (PyTorch's `out_proj.bias`); default none. */
  outProjBias?: tf.Tensor | null;
}

/** Masks and flags of one multi-head attention call (PyTorch's `forward` arguments). @category Attention */
export interface MultiheadAttentionCallOptions {
  /** `[B, Nk]` keys to ignore: bool `true` = padding (PyTorch's convention), or float32 added to the scores. Default none. */
  keyPaddingMask?: tf.Tensor | null;
  /** `[Nq, Nk]` or `[B·nh, Nq, Nk]`: bool `true` = **not** allowed to attend (PyTorch's convention), or float32 added to the scores. Default none. */
  attnMask?: tf.Tensor | null;
  /** Also block key `j > i` for query `i` (causal, top-left aligned), combined with the other masks. Default `false`. */
  isCausal?: boolean;
  /** Return the attention weights; default `true`. */
  needWeights?: boolean;
  /** Average the weights over heads (`[B, Nq, Nk]`) rather than per head (`[B, nh, Nq, Nk]`); default `true`. */
  averageAttnWeights?: boolean;
}

/** Options of {@link multiheadAttention}. @category Attention */
export interface MultiheadAttentionOptions extends MultiheadAttentionCallOptions {
  /** Number of heads `nh`; `E` must be divisible by it. */
  numHeads: number;
  /** Append an all-zero key and value after the head split (PyTorch's `add_zero_attn`); default `false`. */
  addZeroAttn?: boolean;
  /** Dropout on the attention weights; default 0. */
  dropoutP?: number;
  /** Whether dropout is active; default `true`. */
  training?: boolean;
  /** Random source for dropout (default: core's default generator). */
  generator?: Generator;
}

/** What multi-head attention returns. @category Attention */
export interface MultiheadAttentionOutput {
  /** `[B, Nq, E]` (or `[Nq, E]` for unbatched input). */
  output: tf.Tensor;
  /** `[B, Nq, Nk]` averaged over heads, `[B, nh, Nq, Nk]` per head, or `null` when `needWeights` is false (the batch dim is dropped for unbatched input). */
  weights: tf.Tensor | null;
}

interface Dims {
  b: number;
  nq: number;
  nk: number;
  e: number;
  kdim: number;
  vdim: number;
  unbatched: boolean;
}

function checkInputs(op: string, query: tf.Tensor, key: tf.Tensor, value: tf.Tensor): Dims {
  checkTensor(op, 'query', query, { rank: [2, 3], dtype: 'float32' });
  const unbatched = query.rank === 2;
  const lead = unbatched ? [] : ['B'];
  const dims = {};
  checkTensor(op, 'query', query, { shape: [...lead, 'Nq', 'E'] }, dims);
  checkTensor(op, 'key', key, { shape: [...lead, 'Nk', null], dtype: 'float32' }, dims);
  checkTensor(op, 'value', value, { shape: [...lead, 'Nk', null], dtype: 'float32' }, dims);
  const o = unbatched ? 0 : 1;
  return { b: unbatched ? 1 : query.shape[0]!, nq: query.shape[o]!, nk: key.shape[o]!, e: query.shape[o + 1]!, kdim: key.shape[o + 1]!, vdim: value.shape[o + 1]!, unbatched };
}

function checkExtras(op: string, w: MultiheadAttentionWeights, e: number): boolean {
  checkTensor(op, 'weights.outProjWeight', w.outProjWeight, { shape: [e, e], dtype: 'float32' });
  if (w.outProjBias) checkTensor(op, 'weights.outProjBias', w.outProjBias, { shape: [e], dtype: 'float32' });
  if (!!w.biasK !== !!w.biasV) throw new FoveaError({ op, arg: 'weights.biasV', expected: 'given together with weights.biasK', got: w.biasV ? 'biasV without biasK' : 'biasK without biasV' });
  if (w.biasK) {
    checkTensor(op, 'weights.biasK', w.biasK, { shape: [1, 1, e], dtype: 'float32' });
    checkTensor(op, 'weights.biasV', w.biasV, { shape: [1, 1, e], dtype: 'float32' });
  }
  return !!w.biasK;
}

/**
 * Multi-head attention with nothing to attend or no queries: the heads
 * output zeros, so the result is the output bias (as in PyTorch), computed
 * without running kernels on empty tensors.
 */
function emptyAttention(d: Dims, nh: number, extra: number, needWeights: boolean, average: boolean, inputs: tf.Tensor[], bias: tf.Tensor | null): MultiheadAttentionOutput {
  const lead = d.unbatched ? [] : [d.b];
  const outShape = [...lead, d.nq, d.e];
  const size = outShape.reduce((a, b) => a * b, 1);
  const output = size > 0 && bias ? tf.tidy(() => tf.add(connectedZeros(outShape, inputs), bias)) : connectedZeros(outShape, inputs);
  const wShape = average ? [...lead, d.nq, d.nk + extra] : [...lead, nh, d.nq, d.nk + extra];
  return { output, weights: needWeights ? connectedZeros(wShape, inputs) : null };
}

/**
 * Multi-head attention, PyTorch's `F.multi_head_attention_forward` with
 * `batch_first` inputs: the query, key and value are projected to `E`
 * features, split into `nh` heads of `hs = E / nh` features, each head runs
 * {@link scaledDotProductAttention} with scale `1/√hs`, and the heads are
 * concatenated and projected by the output layer. Masks follow PyTorch
 * (`keyPaddingMask` / `attnMask` bool `true` = blocked, float = added).
 * Differentiable.
 *
 * @param query `[B, Nq, E]` (or unbatched `[Nq, E]`).
 * @param key `[B, Nk, kdim]`.
 * @param value `[B, Nk, vdim]`.
 * @param weights the projections, see {@link MultiheadAttentionWeights}.
 * @param opts numHeads, masks, needWeights, averageAttnWeights, addZeroAttn, dropout.
 * @returns `output` `[B, Nq, E]` and `weights` (see {@link MultiheadAttentionOutput}); the caller disposes both.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { multiheadAttention } from '@fovea/attention';
 * const x = tf.randomNormal([2, 5, 8]); // [B, T, E]
 * const w = { inProjWeight: tf.randomNormal([8, 24]), outProjWeight: tf.randomNormal([8, 8]) };
 * const { output, weights } = multiheadAttention(x, x, x, w, { numHeads: 2 });
 * output.shape;   // [2, 5, 8]
 * weights!.shape; // [2, 5, 5], averaged over the 2 heads
 * ```
 * @category Attention
 */
export function multiheadAttention(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, weights: MultiheadAttentionWeights, opts: MultiheadAttentionOptions): MultiheadAttentionOutput {
  const op = 'multiheadAttention';
  const d = checkInputs(op, query, key, value);
  if (typeof weights !== 'object' || weights === null) throw new FoveaError({ op, arg: 'weights', expected: 'an object of weight tensors', got: String(weights) });
  const nh = checkSize(op, 'options.numHeads', opts?.numHeads);
  checkDivisible(op, 'query (E)', d.e, nh, 'numHeads');
  const proj: Projections = { inProjWeight: weights.inProjWeight ?? null, qProjWeight: weights.qProjWeight ?? null, kProjWeight: weights.kProjWeight ?? null, vProjWeight: weights.vProjWeight ?? null, inProjBias: weights.inProjBias ?? null };
  checkProjections(op, proj, d.e, d.kdim, d.vdim);
  const biasKv = checkExtras(op, weights, d.e);
  const masks = { keyPaddingMask: opts.keyPaddingMask ?? null, attnMask: opts.attnMask ?? null, isCausal: checkBool(op, 'options.isCausal', opts.isCausal ?? false) };
  checkMhaMasks(op, masks, d.b, nh, d.nq, d.nk);
  const needWeights = checkBool(op, 'options.needWeights', opts.needWeights ?? true);
  const average = checkBool(op, 'options.averageAttnWeights', opts.averageAttnWeights ?? true);
  const zeroAttn = checkBool(op, 'options.addZeroAttn', opts.addZeroAttn ?? false);
  const p = checkRate(op, 'options.dropoutP', opts.dropoutP ?? 0);
  const training = checkBool(op, 'options.training', opts.training ?? true);
  const hs = d.e / nh;
  const extra = (biasKv ? 1 : 0) + (zeroAttn ? 1 : 0);
  if (d.b * d.nq * d.e === 0 || d.nk + extra === 0) return emptyAttention(d, nh, extra, needWeights, average, [query, key, value], weights.outProjBias ?? null);
  return tidyObject(() => {
    const batch = (t: tf.Tensor) => (d.unbatched ? tf.expandDims(t, 0) : t);
    const [qp, kp0, vp0] = projectQkv(batch(query), batch(key), batch(value), proj); // [B, T, E] each
    let kp = kp0;
    let vp = vp0;
    if (biasKv) {
      kp = tf.concat([kp, tf.tile(weights.biasK!, [d.b, 1, 1])], 1); // [B, Nk + 1, E]
      vp = tf.concat([vp, tf.tile(weights.biasV!, [d.b, 1, 1])], 1);
    }
    if (zeroAttn) {
      kp = tf.concat([kp, tf.zeros([d.b, 1, d.e])], 1); // [B, Nk' + 1, E]
      vp = tf.concat([vp, tf.zeros([d.b, 1, d.e])], 1);
    }
    const nk = d.nk + extra;
    const spec = { lead: [d.b, nh], nq: d.nq, nk, d: hs, dv: hs, scale: 1 / Math.sqrt(hs), p: training ? p : 0, generator: opts.generator };
    const mask = () => mhaAdditiveMask(masks, d.b, nh, d.nq, d.nk, extra);
    let r: AttentionOutput;
    if (d.b * d.nq * nk > 0 && packedHeadsPay(nh, d.nq, nk, hs)) {
      r = attendPacked(qp, kp, vp, nh, spec, mask); // output already [B, Nq, E]
    } else {
      const h = attend(splitHeads(qp, nh), splitHeads(kp, nh), splitHeads(vp, nh), spec, mask, false); // [B, nh, Nq, hs]
      r = { output: mergeHeads(h.output), weights: h.weights }; // [B, Nq, E]
    }
    const merged = r.output;
    const out = linear(merged, weights.outProjWeight, weights.outProjBias ?? null); // [B, Nq, E]
    const output = d.unbatched ? tf.squeeze(out, [0]) : out;
    if (!needWeights) return { output, weights: null };
    const w = average ? tf.mean(r.weights, 1) : r.weights; // [B, Nq, Nk'] or [B, nh, Nq, Nk']
    return { output, weights: d.unbatched ? tf.squeeze(w, [0]) : w };
  });
}

/** Options of the {@link MultiheadAttention} module (PyTorch's constructor arguments). @category Attention */
export interface MultiheadAttentionModuleOptions {
  /** Dropout on the attention weights in training mode; default 0. */
  dropout?: number;
  /** Learn the input and output projection biases; default `true`. */
  bias?: boolean;
  /** Learn a key and value appended to every sequence (`bias_k`, `bias_v`); default `false`. */
  addBiasKV?: boolean;
  /** Append an all-zero key and value (PyTorch's `add_zero_attn`); default `false`. */
  addZeroAttn?: boolean;
  /** Width of the keys; default `E` (a different width stores separate `q/k/v_proj_weight`s). */
  kdim?: number;
  /** Width of the values; default `E`. */
  vdim?: number;
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * Multi-head attention with PyTorch's `nn.MultiheadAttention` parameters
 * (`batch_first=True`): `in_proj_weight` `[3E, E]` and `in_proj_bias` `[3E]`
 * packed (or `q_proj_weight`, `k_proj_weight` `[E, kdim]`, `v_proj_weight`
 * `[E, vdim]` when `kdim`/`vdim` differ from `E`), `out_proj.weight`/`bias`,
 * and `bias_k`/`bias_v` with `addBiasKV`, initialised as PyTorch does
 * (Xavier-uniform projections, zero biases), so `loadStateDict` takes a
 * PyTorch state dict unchanged. Attention dropout is active in training mode.
 * See {@link multiheadAttention}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MultiheadAttention } from '@fovea/attention';
 * const mha = new MultiheadAttention(64, 4); // E = 64, nh = 4, hs = 16
 * const x = tf.randomNormal([2, 10, 64]);    // [B, T, E]
 * const { output, weights } = mha.forward(x, x, x, { isCausal: true });
 * output.shape;   // [2, 10, 64]
 * weights!.shape; // [2, 10, 10]
 * Object.keys(mha.stateDict()); // ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
 * ```
 * @category Attention
 */
export class MultiheadAttention extends Module<[tf.Tensor, tf.Tensor, tf.Tensor, MultiheadAttentionCallOptions?], MultiheadAttentionOutput> {
  /** `E`, the width of queries and outputs. */
  readonly embedDim: number;
  /** `nh`, the number of heads. */
  readonly numHeads: number;
  /** `hs = E / nh`, the width of each head. */
  readonly headDim: number;
  /** Width of the keys. */
  readonly kdim: number;
  /** Width of the values. */
  readonly vdim: number;
  /** Dropout probability on the attention weights (training mode). */
  readonly dropout: number;
  /** Whether an all-zero key and value are appended. */
  readonly addZeroAttn: boolean;
  /** `[E, 3E]` packed q/k/v projection (PyTorch `in_proj_weight` `[3E, E]`), or null when kdim/vdim differ. */
  readonly inProjWeight: Parameter | null;
  /** `[E, E]` query projection (PyTorch `q_proj_weight`) when not packed, else null. */
  readonly qProjWeight: Parameter | null;
  /** `[kdim, E]` key projection (PyTorch `k_proj_weight` `[E, kdim]`) when not packed, else null. */
  readonly kProjWeight: Parameter | null;
  /** `[vdim, E]` value projection (PyTorch `v_proj_weight` `[E, vdim]`) when not packed, else null. */
  readonly vProjWeight: Parameter | null;
  /** `[3E]` q/k/v biases, or null without bias. */
  readonly inProjBias: Parameter | null;
  /** `[1, 1, E]` the learned extra key, or null. */
  readonly biasK: Parameter | null;
  /** `[1, 1, E]` the learned extra value, or null. */
  readonly biasV: Parameter | null;
  /** The output projection `out_proj` (`Linear(E, E)`). */
  readonly outProj: Linear;
  private readonly generator: Generator | undefined;

  /**
   * @param embedDim `E`, the width of queries and outputs.
   * @param numHeads `nh`; `E` must be divisible by it.
   * @param opts dropout, bias, addBiasKV, addZeroAttn, kdim, vdim, generator.
   */
  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionModuleOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    const e = (this.embedDim = checkSize(op, 'embedDim', embedDim));
    this.numHeads = checkSize(op, 'numHeads', numHeads);
    checkDivisible(op, 'embedDim', e, numHeads, 'numHeads');
    this.headDim = e / numHeads;
    this.kdim = checkSize(op, 'options.kdim', opts.kdim ?? e);
    this.vdim = checkSize(op, 'options.vdim', opts.vdim ?? e);
    this.dropout = checkRate(op, 'options.dropout', opts.dropout ?? 0);
    this.addZeroAttn = checkBool(op, 'options.addZeroAttn', opts.addZeroAttn ?? false);
    const bias = checkBool(op, 'options.bias', opts.bias ?? true);
    const biasKv = checkBool(op, 'options.addBiasKV', opts.addBiasKV ?? false);
    this.generator = opts.generator;
    const gen = genOpt(opts.generator);
    const lin = { layout: linearWeightLayout };
    const packed = this.kdim === e && this.vdim === e;
    // PyTorch's _reset_parameters: xavier_uniform_ on the [3E, E] packed matrix (or each of q, k, v), zero biases
    this.inProjWeight = packed ? this.registerParameter('in_proj_weight', xavierUniform([e, 3 * e], { ...lin, ...gen }), lin) : this.registerParameter('in_proj_weight', null);
    this.qProjWeight = packed ? this.registerParameter('q_proj_weight', null) : this.registerParameter('q_proj_weight', xavierUniform([e, e], { ...lin, ...gen }), lin);
    this.kProjWeight = packed ? this.registerParameter('k_proj_weight', null) : this.registerParameter('k_proj_weight', xavierUniform([this.kdim, e], { ...lin, ...gen }), lin);
    this.vProjWeight = packed ? this.registerParameter('v_proj_weight', null) : this.registerParameter('v_proj_weight', xavierUniform([this.vdim, e], { ...lin, ...gen }), lin);
    this.inProjBias = bias ? this.registerParameter('in_proj_bias', tf.zeros([3 * e])) : this.registerParameter('in_proj_bias', null);
    this.biasK = biasKv ? this.registerParameter('bias_k', xavierNormal([1, 1, e], gen)) : this.registerParameter('bias_k', null);
    this.biasV = biasKv ? this.registerParameter('bias_v', xavierNormal([1, 1, e], gen)) : this.registerParameter('bias_v', null);
    this.outProj = this.registerModule('out_proj', new Linear(e, e, { bias, ...gen }));
    if (this.outProj.bias) setValue(this.outProj.bias, () => tf.zeros([e]));
  }

  /** The weights in the form {@link multiheadAttention} takes. */
  weights(): MultiheadAttentionWeights {
    return {
      inProjWeight: this.inProjWeight,
      qProjWeight: this.qProjWeight,
      kProjWeight: this.kProjWeight,
      vProjWeight: this.vProjWeight,
      inProjBias: this.inProjBias,
      biasK: this.biasK,
      biasV: this.biasV,
      outProjWeight: this.outProj.weight,
      outProjBias: this.outProj.bias,
    };
  }

  /**
   * `query [B, Nq, E]`, `key [B, Nk, kdim]`, `value [B, Nk, vdim]` →
   * `output [B, Nq, E]` and the attention weights (`[B, Nq, Nk]` averaged,
   * `[B, nh, Nq, Nk]` per head, or `null`). Pass the same tensor three times
   * for self-attention.
   */
  forward(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, opts: MultiheadAttentionCallOptions = {}): MultiheadAttentionOutput {
    return multiheadAttention(query, key, value, this.weights(), {
      ...opts,
      numHeads: this.numHeads,
      addZeroAttn: this.addZeroAttn,
      dropoutP: this.dropout,
      training: this.training,
      ...genOpt(this.generator),
    });
  }
}
