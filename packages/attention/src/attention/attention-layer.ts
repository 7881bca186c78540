import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { checkBool, checkSize, genOpt } from '../_internal/args.js';
import { tidyObject } from '../_internal/tidy.js';
import { scaledDotProductAttention, type AttentionOutput } from './scaled-dot-product-attention.js';

/** Options of the {@link Attention} layer. @category Attention */
export interface AttentionOptions {
  /** Width `Dq` of the keys, which must equal the queries' width; default `queryDim`. */
  keyDim?: number;
  /** Width `Dv` of the values (and outputs); default `inputDim`. */
  valueDim?: number;
  /** Learn biases in the key and value projections; default `false` (the textbook layer has none). */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** Masks of an attention call. @category Attention */
export interface AttentionCallOptions {
  /**
   * Which inputs each query may attend: bool `true` = allowed, broadcast
   * against the weights `[B, Nq, Nx]` (e.g. `[B, 1, Nx]` to ignore padded
   * inputs), or float32 added to the scores. Default none.
   */
  mask?: tf.Tensor | null;
}

/**
 * An attention layer (the "attention layer" of the EECS 498 / CS231n
 * lectures): queries attend over a set of input vectors through learned
 * **separate key and value** projections, `K = X·W_K`, `V = X·W_V`,
 * `A = softmax(Q·Kᵀ / √Dq)` over the inputs, `Y = A·V`. One query per
 * sequence (`[B, Dq]`) or several (`[B, Nq, Dq]`); the weights say how much
 * each query looked at each input. Parameters `key.weight` `[Dq, Dx]` and
 * `value.weight` `[Dv, Dx]` (PyTorch layout). See {@link scaledDotProductAttention}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Attention } from '@fovea/attention';
 * const attn = new Attention(32, 64); // queries of width 32 over inputs of width 64
 * const x = tf.randomNormal([2, 10, 64]); // [B, Nx, Dx]
 * const one = attn.forward(tf.randomNormal([2, 32]), x); // one query per sequence
 * one.output.shape;  // [2, 64]
 * one.weights.shape; // [2, 10]
 * const many = attn.forward(tf.randomNormal([2, 5, 32]), x); // 5 queries
 * many.output.shape; // [2, 5, 64]
 * ```
 * @category Attention
 */
export class Attention extends Module<[tf.Tensor, tf.Tensor, AttentionCallOptions?], AttentionOutput> {
  /** `Dq`, the width of queries and keys. */
  readonly queryDim: number;
  /** `Dx`, the width of the input vectors. */
  readonly inputDim: number;
  /** The key projection `W_K` (`Linear(Dx, Dq)`). */
  readonly key: Linear;
  /** The value projection `W_V` (`Linear(Dx, Dv)`). */
  readonly value: Linear;

  /**
   * @param queryDim `Dq`, the width of queries (and keys).
   * @param inputDim `Dx`, the width of the input vectors.
   * @param opts keyDim, valueDim, bias, generator.
   */
  constructor(queryDim: number, inputDim: number, opts: AttentionOptions = {}) {
    super();
    const op = 'Attention';
    this.queryDim = checkSize(op, 'queryDim', queryDim);
    this.inputDim = checkSize(op, 'inputDim', inputDim);
    const keyDim = checkSize(op, 'options.keyDim', opts.keyDim ?? queryDim);
    if (keyDim !== queryDim) throw new FoveaError({ op, arg: 'options.keyDim', expected: `the query width ${queryDim} (keys are compared with queries)`, got: String(keyDim) });
    const valueDim = checkSize(op, 'options.valueDim', opts.valueDim ?? inputDim);
    const bias = checkBool(op, 'options.bias', opts.bias ?? false);
    this.key = this.registerModule('key', new Linear(inputDim, keyDim, { bias, ...genOpt(opts.generator) }));
    this.value = this.registerModule('value', new Linear(inputDim, valueDim, { bias, ...genOpt(opts.generator) }));
  }

  /**
   * `query [B, Dq]` or `[B, Nq, Dq]`, `inputs [B, Nx, Dx]` → `output` `[B, Dv]`
   * or `[B, Nq, Dv]` and `weights` `[B, Nx]` or `[B, Nq, Nx]`.
   */
  forward(query: tf.Tensor, inputs: tf.Tensor, opts: AttentionCallOptions = {}): AttentionOutput {
    const op = 'Attention.forward';
    checkTensor(op, 'query', query, { rank: [2, 3], dtype: 'float32' });
    checkTensor(op, 'inputs', inputs, { shape: [query.shape[0]!, null, this.inputDim], dtype: 'float32' });
    if (query.shape[query.rank - 1] !== this.queryDim) {
      throw new FoveaError({ op, arg: 'query', expected: `[B, ${this.queryDim}] or [B, Nq, ${this.queryDim}]`, got: `shape ${formatShape(query.shape)}` });
    }
    const single = query.rank === 2;
    return tidyObject(() => {
      const q = single ? tf.expandDims(query, 1) : query; // [B, Nq, Dq]
      const r = scaledDotProductAttention(q, this.key.forward(inputs), this.value.forward(inputs), { mask: opts.mask ?? null }); // K [B, Nx, Dq], V [B, Nx, Dv]
      if (!single) return r;
      return { output: tf.squeeze(r.output, [1]), weights: tf.squeeze(r.weights, [1]) }; // [B, Dv], [B, Nx]
    });
  }
}

/** Options of the {@link SelfAttention} layer. @category Attention */
export interface SelfAttentionOptions {
  /** Width of queries and keys; default the input width. */
  keyDim?: number;
  /** Width of values and outputs; default the input width. */
  valueDim?: number;
  /** Learn biases in the projections; default `false`. */
  bias?: boolean;
  /** Mask the future: position `i` attends `j <= i` only (masked self-attention, for autoregressive models); default `false`. */
  causal?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * Single-head self-attention: every position of a sequence is a query over
 * the whole sequence, `Q = X·W_Q`, `K = X·W_K`, `V = X·W_V`,
 * `Y = softmax(Q·Kᵀ/√Dk + mask)·V`; with `causal` it is **masked**
 * self-attention (position `i` sees `j <= i` only). Without positional
 * information it is permutation-equivariant: permuting the inputs permutes the
 * outputs. Parameters `query`, `key`, `value` (`Linear`, PyTorch layout). For
 * several heads see {@link MultiheadAttention}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SelfAttention } from '@fovea/attention';
 * const sa = new SelfAttention(16, { causal: true });
 * const { output, weights } = sa.forward(tf.randomNormal([2, 6, 16])); // [B, T, D]
 * output.shape;  // [2, 6, 16]
 * weights.shape; // [2, 6, 6], zero above the diagonal
 * ```
 * @category Attention
 */
export class SelfAttention extends Module<[tf.Tensor, AttentionCallOptions?], AttentionOutput> {
  /** `D`, the input width. */
  readonly dim: number;
  /** Whether position `i` only attends positions `j <= i`. */
  readonly causal: boolean;
  /** The query projection `W_Q`. */
  readonly query: Linear;
  /** The key projection `W_K` (`Linear(Dx, Dq)`). */
  readonly key: Linear;
  /** The value projection `W_V` (`Linear(Dx, Dv)`). */
  readonly value: Linear;

  /**
   * @param dim `D`, the input width.
   * @param opts keyDim, valueDim, bias, causal, generator.
   */
  constructor(dim: number, opts: SelfAttentionOptions = {}) {
    super();
    const op = 'SelfAttention';
    this.dim = checkSize(op, 'dim', dim);
    const dk = checkSize(op, 'options.keyDim', opts.keyDim ?? dim);
    const dv = checkSize(op, 'options.valueDim', opts.valueDim ?? dim);
    const bias = checkBool(op, 'options.bias', opts.bias ?? false);
    this.causal = checkBool(op, 'options.causal', opts.causal ?? false);
    const o = { bias, ...genOpt(opts.generator) };
    this.query = this.registerModule('query', new Linear(dim, dk, o));
    this.key = this.registerModule('key', new Linear(dim, dk, o));
    this.value = this.registerModule('value', new Linear(dim, dv, o));
  }

  /** `x [B, T, D]` → `output [B, T, Dv]` and `weights [B, T, T]`. */
  forward(x: tf.Tensor, opts: AttentionCallOptions = {}): AttentionOutput {
    checkTensor('SelfAttention.forward', 'x', x, { shape: [null, null, this.dim], dtype: 'float32' });
    // output [B, T, Dv], weights [B, T, T]
    return tidyObject(() => scaledDotProductAttention(this.query.forward(x), this.key.forward(x), this.value.forward(x), { mask: opts.mask ?? null, isCausal: this.causal }));
  }
}
