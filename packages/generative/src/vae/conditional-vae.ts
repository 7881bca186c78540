import { FoveaError } from '@fovea/core';
import { VAE, type VAEOptions } from './vae.js';

/** Options for {@link ConditionalVAE}: {@link VAEOptions} with a required class count. @category VAE */
export interface ConditionalVAEOptions extends VAEOptions {
  /** Number of classes `K` (≥ 1). */
  numClasses: number;
}

/**
 * A conditional VAE (Sohn et al., 2015): the class enters the encoder
 * `q(z | x, y)` and the decoder `p(x | z, y)` as a one-hot vector, so the
 * latent code is free to capture style while the label picks the class.
 * Every method takes int32 `labels` `[N]`; `sample(n, { labels })` draws the
 * digit asked for, and `decode(z, labels)` renders one style as every class.
 * Same parameters and methods as {@link VAE}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ConditionalVAE } from '@fovea/generative';
 * const cvae = new ConditionalVAE({ inputShape: [28, 28, 1], numClasses: 10, latentDim: 8 });
 * const labels = tf.tensor1d([3, 3, 7, 7], 'int32');
 * const { loss } = cvae.loss(tf.randomUniform([4, 28, 28, 1]), labels);
 * cvae.sample(4, { labels }).shape; // [4, 28, 28, 1]: two 3s and two 7s
 * ```
 * @category VAE
 */
export class ConditionalVAE extends VAE {
  constructor(opts: ConditionalVAEOptions) {
    if (!(typeof opts?.numClasses === 'number' && Number.isInteger(opts.numClasses) && opts.numClasses >= 1)) {
      throw new FoveaError({ op: 'ConditionalVAE', arg: 'options.numClasses', expected: 'an integer >= 1', got: String(opts?.numClasses) });
    }
    super(opts);
  }
}
