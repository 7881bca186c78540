import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor, crossEntropy, formatShape } from '@fovea/core';
import { connectedZeros, meanOrNaN, sumPerItem } from '../_internal/args.js';

/** Options for {@link bitsPerDim}. @category Likelihood */
export interface BitsPerDimOptions {
  /** `'mean'` (default): scalars averaged over the batch; `'none'`: `[N]` per item (outlier scores). */
  reduction?: 'mean' | 'none';
}

/** What {@link bitsPerDim} returns (the caller disposes both). @category Likelihood */
export interface BitsPerDimResult {
  /** Negative log-likelihood in nats per item, `−Σ_d log p(x_d | x_<d)`: `[]` (batch mean) or `[N]`. */
  nll: tf.Tensor;
  /** `nll / (D · ln 2)`: bits per dimension, `[]` or `[N]`. */
  bitsPerDim: tf.Tensor;
}

/**
 * The exact negative log-likelihood and bits per dimension of discrete data
 * under per-dimension categorical distributions — what an autoregressive
 * model (PixelCNN, PixelRNN, image transformer, MADE) outputs as logits of
 * `p(x_d | x_<d)`: `nll = (1/N) Σ_{n,d} −log softmax(logits[n, d])[targets[n, d]]`
 * (`F.cross_entropy(logits, targets, reduction='sum') / N`, with core's
 * cross-entropy) and `bitsPerDim = nll / (D · ln 2)`, `D` the dimensions per item.
 *
 * The class axis is the **last** one (channels-last): `[N, D, K]` for vectors,
 * `[N, H, W, C, K]` for images. PyTorch's `[N, K, D]` converts with core's `nchwToNhwc`.
 *
 * @param logits float32 `[N, ..., K]` unnormalised log-probabilities over `K` values.
 * @param targets int32 `[N, ...]` observed values in `[0, K)` (not read back: out-of-range values count as probability 1).
 * @param opts reduction (default `'mean'`).
 * @returns `nll` (nats) and `bitsPerDim`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bitsPerDim } from '@fovea/generative';
 * const r = bitsPerDim(tf.zeros([2, 784, 2]), tf.zeros([2, 784], 'int32')); // a fair coin per pixel
 * r.bitsPerDim.print(); // 1
 * r.nll.print();        // 543.4273 = 784 · ln 2
 * ```
 * @category Likelihood
 */
export function bitsPerDim(logits: tf.Tensor, targets: tf.Tensor, opts: BitsPerDimOptions = {}): BitsPerDimResult {
  const op = 'bitsPerDim';
  checkTensor(op, 'logits', logits, { dtype: 'float32', minRank: 2 });
  checkTensor(op, 'targets', targets, { dtype: 'int32' });
  const lead = logits.shape.slice(0, -1);
  if (targets.rank !== lead.length || targets.shape.some((d, i) => d !== lead[i])) {
    throw new FoveaError({ op, arg: 'targets', expected: `int32 of shape ${formatShape(lead)} (logits ${formatShape(logits.shape)} without the class dim)`, got: `shape ${formatShape(targets.shape)}` });
  }
  const reduction = checkOneOf(op, 'options.reduction', opts.reduction ?? 'mean', ['mean', 'none'] as const);
  const n = lead[0]!;
  const d = n > 0 ? targets.size / n : lead.slice(1).reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const perItem = targets.size === 0 ? connectedZeros([n], [logits]) : sumPerItem(crossEntropy(logits, targets, { reduction: 'none' })); // [N]
    const nll = reduction === 'none' ? perItem : meanOrNaN(perItem);
    return { nll, bitsPerDim: tf.div(nll, d * Math.LN2) };
  });
}

/**
 * Converts a negative log-likelihood in nats per item to bits per dimension:
 * `nll / (D · ln 2)` — for models whose likelihood is not a softmax
 * (a VAE's negative ELBO, a flow's density).
 *
 * @param nll nats per item, a number or a float32 tensor (any shape).
 * @param numDims `D`, the dimensions per item (784 for a 28×28 digit).
 * @returns bits per dimension, of the same kind as `nll`.
 * @example
 * ```ts
 * import { natsToBitsPerDim } from '@fovea/generative';
 * natsToBitsPerDim(543.4273, 784); // 1.0000
 * ```
 * @category Likelihood
 */
export function natsToBitsPerDim<T extends number | tf.Tensor>(nll: T, numDims: number): T {
  const op = 'natsToBitsPerDim';
  if (!(Number.isInteger(numDims) && numDims >= 1)) throw new FoveaError({ op, arg: 'numDims', expected: 'an integer >= 1', got: String(numDims) });
  if (typeof nll === 'number') return (nll / (numDims * Math.LN2)) as T;
  checkTensor(op, 'nll', nll, { dtype: 'float32' });
  return tf.div(nll as tf.Tensor, numDims * Math.LN2) as T;
}
