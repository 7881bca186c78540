import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, formatShape, randn, type Generator } from '@fovea/core';
import { sameShape } from '../_internal/args.js';

/** Options for {@link reparameterize}. @category VAE */
export interface ReparameterizeOptions {
  /** The standard normal noise `ε`, the shape of `mu`; default drawn from `generator`. */
  eps?: tf.Tensor;
  /** Random source for `ε` when it is not given (default: core's default generator). */
  generator?: Generator;
}

/**
 * The reparameterization trick of the VAE: a sample `z = μ + σ·ε` of
 * `N(μ, σ²)` with `σ = exp(½·logvar)` and `ε ~ N(0, I)`, written so that the
 * gradient flows to `mu` and `logvar` (`∂z/∂μ = 1`, `∂z/∂logvar = ½σε`).
 *
 * @param mu float32 `[N, Z]` (any shape) means of the approximate posterior.
 * @param logvar float32, the shape of `mu`: log-variances.
 * @param opts `eps` (the noise, the shape of `mu`) or a `generator` to draw it.
 * @returns `z`, the shape of `mu`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { reparameterize } from '@fovea/generative';
 * const z = reparameterize(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, Math.log(4)]]), { eps: tf.tensor2d([[1, 1]]) });
 * z.print(); // [[2, 4]]: 1 + 1·1, 2 + 2·1
 * ```
 * @category VAE
 */
export function reparameterize(mu: tf.Tensor, logvar: tf.Tensor, opts: ReparameterizeOptions = {}): tf.Tensor {
  const op = 'reparameterize';
  checkTensor(op, 'mu', mu, { dtype: 'float32' });
  checkTensor(op, 'logvar', logvar, { dtype: 'float32' });
  if (!sameShape(mu.shape, logvar.shape)) {
    throw new FoveaError({ op, arg: 'logvar', expected: `the shape of mu ${formatShape(mu.shape)}`, got: `shape ${formatShape(logvar.shape)}` });
  }
  if (opts.eps !== undefined) {
    checkTensor(op, 'options.eps', opts.eps, { dtype: 'float32' });
    if (!sameShape(mu.shape, opts.eps.shape)) {
      throw new FoveaError({ op, arg: 'options.eps', expected: `the shape of mu ${formatShape(mu.shape)}`, got: `shape ${formatShape(opts.eps.shape)}` });
    }
  }
  return tf.tidy(() => {
    const eps = opts.eps ?? randn(mu.shape, opts.generator ? { generator: opts.generator } : {});
    return tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
  });
}
