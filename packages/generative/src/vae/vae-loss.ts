import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, bceWithLogits, checkNumber, checkOneOf, checkTensor, formatShape, mseLoss } from '@fovea/core';
import { meanOrNaN, sameShape, sumPerItem } from '../_internal/args.js';

/** The decoder's likelihood `p(x | z)`: `'bernoulli'` (logits) or `'gaussian'` (unit-variance mean). @category VAE */
export type VaeLikelihood = 'bernoulli' | 'gaussian';

/** Options for {@link vaeLoss}. @category VAE */
export interface VaeLossOptions {
  /** The decoder likelihood; default `'bernoulli'`. */
  likelihood?: VaeLikelihood;
  /** Weight `β` of the KL term (β-VAE); default 1. */
  beta?: number;
  /** `'mean'` (default): scalars averaged over the batch; `'none'`: `[N]` per item. */
  reduction?: 'mean' | 'none';
}

/** The parts of the negative ELBO returned by {@link vaeLoss}. @category VAE */
export interface VaeLossResult {
  /** Reconstruction term `-E_q[log p(x|z)]` (one sample), nats: `[]`, or `[N]` with `reduction: 'none'`. */
  recon: tf.Tensor;
  /** `KL(q(z|x) ‖ N(0, I))`, nats: `[]` or `[N]`. */
  kl: tf.Tensor;
  /** `recon + β·kl` (the negative ELBO when β = 1): `[]` or `[N]`. */
  loss: tf.Tensor;
}

/**
 * The VAE's negative evidence lower bound, summed over each item's dimensions
 * and averaged over the batch:
 *
 * - `recon`: Bernoulli `Σ_d softplus(r) − x·r` (`F.binary_cross_entropy_with_logits(r, x, reduction='sum') / N`),
 *   or unit-variance Gaussian `Σ_d ½(x − r)²` (constants dropped);
 * - `kl = −½ Σ_z (1 + logvar − μ² − exp(logvar))`, the KL divergence from the
 *   diagonal Gaussian posterior to the standard normal prior;
 * - `loss = recon + β·kl`.
 *
 * @param x float32 `[N, ...]` data (in `[0, 1]` for Bernoulli; soft values allowed).
 * @param reconLogits float32, the shape of `x`: decoder logits (Bernoulli) or means (Gaussian).
 * @param mu float32 `[N, Z]` posterior means.
 * @param logvar float32 `[N, Z]` posterior log-variances.
 * @param opts likelihood (default `'bernoulli'`), beta (default 1), reduction (default `'mean'`).
 * @returns `recon`, `kl`, `loss`; the caller disposes them.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vaeLoss } from '@fovea/generative';
 * const { recon, kl, loss } = vaeLoss(tf.tensor2d([[1, 0]]), tf.zeros([1, 2]), tf.zeros([1, 3]), tf.zeros([1, 3]));
 * loss.print(); // 1.3862944 = 2·ln 2 (recon) + 0 (kl: the posterior is the prior)
 * ```
 * @category VAE
 */
export function vaeLoss(x: tf.Tensor, reconLogits: tf.Tensor, mu: tf.Tensor, logvar: tf.Tensor, opts: VaeLossOptions = {}): VaeLossResult {
  const op = 'vaeLoss';
  checkTensor(op, 'x', x, { dtype: 'float32', minRank: 1 });
  checkTensor(op, 'reconLogits', reconLogits, { dtype: 'float32' });
  if (!sameShape(x.shape, reconLogits.shape)) {
    throw new FoveaError({ op, arg: 'reconLogits', expected: `the shape of x ${formatShape(x.shape)}`, got: `shape ${formatShape(reconLogits.shape)}` });
  }
  const dims = { N: x.shape[0]! };
  checkTensor(op, 'mu', mu, { shape: ['N', 'Z'], dtype: 'float32' }, dims);
  checkTensor(op, 'logvar', logvar, { shape: ['N', 'Z'], dtype: 'float32' }, dims);
  const likelihood = checkOneOf(op, 'options.likelihood', opts.likelihood ?? 'bernoulli', ['bernoulli', 'gaussian'] as const);
  const beta = checkNumber(op, 'options.beta', opts.beta ?? 1, { min: 0 });
  const reduction = checkOneOf(op, 'options.reduction', opts.reduction ?? 'mean', ['mean', 'none'] as const);
  return tf.tidy(() => {
    const perElem =
      likelihood === 'bernoulli'
        ? bceWithLogits(reconLogits, x, { reduction: 'none' })
        : tf.mul(mseLoss(reconLogits, x, { reduction: 'none' }), 0.5);
    const recon = sumPerItem(perElem); // [N]
    const kl = tf.mul(sumPerItem(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))), -0.5); // [N]
    const loss = beta === 1 ? tf.add(recon, kl) : tf.add(recon, tf.mul(kl, beta)); // [N]
    if (reduction === 'none') return { recon, kl, loss };
    return { recon: meanOrNaN(recon), kl: meanOrNaN(kl), loss: meanOrNaN(loss) };
  });
}
