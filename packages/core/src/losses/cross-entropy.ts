import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { logSoftmax } from '../activations/log-softmax.js';
import { Module } from '../nn/module.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { checkReduction, oneHotFloat, safeSum, type Reduction } from './_common.js';
import type { ReductionOptions } from './mse-loss.js';

/** Options for {@link crossEntropy}. @category Losses */
export interface CrossEntropyOptions extends ReductionOptions {
  /** Label smoothing `ls` in [0, 1]: the target becomes `(1 - ls) · onehot + ls / C`; default 0. */
  labelSmoothing?: number;
  /** float32 `[C]` weight per class (PyTorch's `weight`); default none. */
  weight?: tf.Tensor;
  /** Integer labels equal to this are ignored (no loss, no gradient, not counted by `'mean'`); default -100. */
  ignoreIndex?: number;
}

function checkInputs(op: string, logits: unknown, target: unknown, opts: CrossEntropyOptions): 'labels' | 'probs' {
  checkTensor(op, 'logits', logits, { dtype: 'float32', minRank: 1 });
  const lg = logits as tf.Tensor;
  const c = lg.shape[lg.rank - 1]!;
  checkTensor(op, 'target', target, { dtype: ['int32', 'float32'] });
  const t = target as tf.Tensor;
  const lead = lg.shape.slice(0, -1);
  if (t.dtype === 'int32') {
    if (t.rank !== lead.length || t.shape.some((d, i) => d !== lead[i])) {
      throw new FoveaError({ op, arg: 'target', expected: `int32 labels of shape ${formatShape(lead)} (logits ${formatShape(lg.shape)} without its class dim)`, got: `shape ${formatShape(t.shape)}` });
    }
  } else if (t.rank !== lg.rank || t.shape.some((d, i) => d !== lg.shape[i])) {
    throw new FoveaError({ op, arg: 'target', expected: `float32 class probabilities of the logits' shape ${formatShape(lg.shape)}`, got: `shape ${formatShape(t.shape)}` });
  }
  if (opts.weight !== undefined) checkTensor(op, 'options.weight', opts.weight, { dtype: 'float32', shape: [c] });
  return t.dtype === 'int32' ? 'labels' : 'probs';
}

/**
 * Softmax cross-entropy (PyTorch's `F.cross_entropy`), from logits, numerically stable.
 * With integer labels, per item `l = (1 - ls) · w[y] · (-log p[y]) + (ls / C) · Σ_c w[c] · (-log p[c])`,
 * `p = softmax(logits)`; `'mean'` divides by `Σ w[y]` over items not ignored (the item count
 * without weights), exactly as PyTorch.
 * With float class probabilities as the target, `l = -Σ_c w[c] · t[c] · log p[c]` and
 * `'mean'` divides by the number of items.
 *
 * The class axis is the **last** one (Fovea is channels-last): `[N, C]` logits with `[N]`
 * labels, or per-pixel `[N, H, W, C]` with `[N, H, W]`. Labels must lie in `[0, C)` or
 * equal `ignoreIndex` (they are not read back, so other values are not detected and give 0 loss).
 *
 * @param logits float32 `[..., C]` unnormalised scores.
 * @param target int32 labels `[...]`, or float32 probabilities `[..., C]`.
 * @param opts `reduction` (default `'mean'`), `labelSmoothing`, `weight` `[C]`, `ignoreIndex` (default -100).
 * @returns a scalar `[]`, or `[...]` per item with `reduction: 'none'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { crossEntropy } from '@fovea/core';
 * const logits = tf.tensor2d([[2, 0, 0], [0, 0, 0]]);   // [N=2, C=3]
 * crossEntropy(logits, tf.tensor1d([0, 2], 'int32')).print(); // 0.6691 = (0.2395 + 1.0986) / 2
 * ```
 * @category Losses
 */
export function crossEntropy(logits: tf.Tensor, target: tf.Tensor, opts: CrossEntropyOptions = {}): tf.Tensor {
  const op = 'crossEntropy';
  const kind = checkInputs(op, logits, target, opts);
  const reduction = checkReduction(op, opts.reduction);
  const ls = checkNumber(op, 'options.labelSmoothing', opts.labelSmoothing ?? 0, { min: 0, max: 1 });
  const ignoreIndex = checkNumber(op, 'options.ignoreIndex', opts.ignoreIndex ?? -100, { integer: true });
  const c = logits.shape[logits.rank - 1]!;
  const lead = logits.shape.slice(0, -1);
  return tf.tidy(() => {
    const logp = logSoftmax(logits, -1); // [..., C]
    const w = opts.weight ?? null;
    const per = kind === 'probs' ? probTarget(logp, target, ls, c, w) : labelTarget(logp, target, ls, c, w, ignoreIndex);
    if (reduction === 'none') return tf.reshape(per.loss, lead);
    if (reduction === 'sum') return safeSum(per.loss);
    return per.mean();
  });
}

interface PerItem {
  loss: tf.Tensor;
  mean: () => tf.Tensor;
}

function probTarget(logp: tf.Tensor, target: tf.Tensor, ls: number, c: number, w: tf.Tensor | null): PerItem {
  let t = ls > 0 ? tf.add(tf.mul(target, 1 - ls), ls / c) : target;
  if (w) t = tf.mul(t, w);
  const loss = tf.neg(safeSum(tf.mul(logp, t), -1)); // [...]
  const items = logp.size / Math.max(c, 1);
  return { loss, mean: () => tf.div(safeSum(loss), items) };
}

function labelTarget(logp: tf.Tensor, labels: tf.Tensor, ls: number, c: number, w: tf.Tensor | null, ignoreIndex: number): PerItem {
  const onehot = oneHotFloat(tf.reshape(labels, [-1]), c); // [M, C]: a zero row for ignored or out-of-range labels
  const lp = tf.reshape(logp, [-1, c]); // [M, C]
  const valid = tf.cast(tf.notEqual(tf.reshape(labels, [-1]), ignoreIndex), 'float32'); // [M]
  const wrow = w ? tf.mul(onehot, w) : onehot; // [M, C]: w[y] at y
  const nll = tf.neg(safeSum(tf.mul(lp, wrow), -1)); // [M]
  const denom = safeSum(wrow); // Σ w[y] over kept items
  if (ls === 0) return { loss: nll, mean: () => tf.div(safeSum(nll), denom) };
  const smooth = tf.mul(tf.neg(safeSum(w ? tf.mul(lp, w) : lp, -1)), valid); // [M]
  const loss = tf.add(tf.mul(nll, 1 - ls), tf.mul(smooth, ls / c));
  // PyTorch's 'mean' divides both parts by Σ w[y] over kept items (their count without weights)
  return { loss, mean: () => tf.div(safeSum(loss), denom) };
}

/**
 * Cross-entropy as a module (PyTorch's `nn.CrossEntropyLoss`). See {@link crossEntropy}.
 * The module does not own `weight`; the caller keeps and disposes it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { CrossEntropyLoss } from '@fovea/core';
 * const loss = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * loss.forward(tf.zeros([4, 10]), tf.tensor1d([1, 2, 3, 4], 'int32')).print(); // 2.3025851 (= log 10)
 * ```
 * @category Losses
 */
export class CrossEntropyLoss extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  private readonly opts: CrossEntropyOptions;
  /** The reduction. */
  readonly reduction: Reduction;

  constructor(opts: CrossEntropyOptions = {}) {
    super();
    this.reduction = checkReduction('CrossEntropyLoss', opts.reduction);
    checkNumber('CrossEntropyLoss', 'options.labelSmoothing', opts.labelSmoothing ?? 0, { min: 0, max: 1 });
    this.opts = { ...opts };
  }

  forward(logits: tf.Tensor, target: tf.Tensor): tf.Tensor {
    return crossEntropy(logits, target, this.opts);
  }
}
