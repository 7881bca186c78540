import * as tf from '@tensorflow/tfjs-core';
import { bceWithLogits, checkNumber, checkOneOf, checkTensor } from '@fovea/core';

/**
 * The generator's objective: `'minimax'` (Goodfellow et al.'s original
 * `min E log(1 − D(G(z)))`, whose gradient vanishes when the discriminator wins)
 * or `'non_saturating'` (`min −E log D(G(z))`, the same fixed point with strong
 * early gradients).
 *
 * @category GAN
 */
export type GeneratorLoss = 'minimax' | 'non_saturating';

/** Options for {@link ganLoss}. @category GAN */
export interface GanLossOptions {
  /** The generator's objective; default `'non_saturating'`. */
  generatorLoss?: GeneratorLoss;
  /** Target of real data in the discriminator's loss: 1, or e.g. 0.9 for one-sided label smoothing (Salimans et al., 2016); default 1. */
  realLabel?: number;
}

/** What {@link ganLoss} returns (scalars, to be minimised; the caller disposes them). @category GAN */
export interface GanLossResult {
  /** The discriminator's loss `BCE(d_real, 1) + BCE(d_fake, 0)`, `[]`. */
  dLoss: tf.Tensor;
  /** The generator's loss, `[]`: `−BCE(d_fake, 0)` (minimax) or `BCE(d_fake, 1)` (non-saturating). */
  gLoss: tf.Tensor;
}

/**
 * The GAN losses from discriminator logits, with core's BCE-with-logits
 * (`F.binary_cross_entropy_with_logits`, mean over the batch):
 *
 * - `dLoss = mean softplus(−d_real) + mean softplus(d_fake)` (with `realLabel` r < 1:
 *   `BCE(d_real, r) + BCE(d_fake, 0)`, one-sided label smoothing);
 * - minimax `gLoss = mean log(1 − σ(d_fake)) = −mean softplus(d_fake)`;
 * - non-saturating `gLoss = mean softplus(−d_fake)`.
 *
 * Differentiate `dLoss` for the discriminator's step and `gLoss` for the
 * generator's (with the discriminator's parameters held fixed).
 *
 * @param dReal float32 `[N]` (any shape) discriminator logits on real data.
 * @param dFake float32 `[M]` (any shape) discriminator logits on generated data.
 * @param opts generatorLoss (default `'non_saturating'`), realLabel (default 1).
 * @returns `dLoss` and `gLoss`, each `[]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ganLoss } from '@fovea/generative';
 * const { dLoss, gLoss } = ganLoss(tf.zeros([4]), tf.zeros([4]), { generatorLoss: 'minimax' });
 * dLoss.print(); // 1.3862944 = 2·ln 2
 * gLoss.print(); // -0.6931472 = ln ½
 * ```
 * @category GAN
 */
export function ganLoss(dReal: tf.Tensor, dFake: tf.Tensor, opts: GanLossOptions = {}): GanLossResult {
  const op = 'ganLoss';
  checkTensor(op, 'dReal', dReal, { dtype: 'float32' });
  checkTensor(op, 'dFake', dFake, { dtype: 'float32' });
  const kind = checkOneOf(op, 'options.generatorLoss', opts.generatorLoss ?? 'non_saturating', ['minimax', 'non_saturating'] as const);
  const real = checkNumber(op, 'options.realLabel', opts.realLabel ?? 1, { gt: 0.5, max: 1 });
  return tf.tidy(() => {
    const dLoss = tf.add(bceWithLogits(dReal, tf.fill(dReal.shape, real)), bceWithLogits(dFake, tf.zerosLike(dFake)));
    return { dLoss, gLoss: generatorObjective(dFake, kind) };
  });
}

/** The generator's loss alone (see {@link ganLoss}). @internal */
export function generatorObjective(dFake: tf.Tensor, kind: GeneratorLoss): tf.Tensor {
  return tf.tidy(() =>
    kind === 'minimax'
      ? tf.neg(bceWithLogits(dFake, tf.zerosLike(dFake))) // mean log(1 − σ(d_fake))
      : bceWithLogits(dFake, tf.onesLike(dFake)), // mean −log σ(d_fake)
  );
}
