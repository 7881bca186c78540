import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor, defaultGenerator, randn, type Generator, type Module } from '@fovea/core';
import { ganLoss, generatorObjective, type GeneratorLoss } from './gan-loss.js';

/** A GAN generator as {@link ganTrainStep} uses it: `forward(z [N, Z], labels?)` → images. @category GAN */
export interface GanGeneratorModule extends Module {
  /** Latent size `Z`. */
  readonly latentDim: number;
  /** Classes (0 = unconditional). */
  readonly numClasses: number;
  forward(z: tf.Tensor, labels?: tf.Tensor): tf.Tensor;
}

/** A GAN discriminator as {@link ganTrainStep} uses it: `forward(x, labels?)` → logits `[N]`. @category GAN */
export interface GanDiscriminatorModule extends Module {
  forward(x: tf.Tensor, labels?: tf.Tensor): tf.Tensor;
}

/** Options for {@link ganTrainStep}. @category GAN */
export interface GanTrainStepOptions {
  /** The generator's objective; default `'non_saturating'`. */
  generatorLoss?: GeneratorLoss;
  /** Target of real data in the discriminator's loss (one-sided label smoothing below 1); default 1. */
  realLabel?: number;
  /** int32 `[N]` labels of the real batch (conditional GANs); the fakes are generated for the same labels. */
  labels?: tf.Tensor;
  /** Random source for `z` (default: core's default generator). */
  generator?: Generator;
}

/** What {@link ganTrainStep} returns: the two losses before the updates (scalars the caller disposes). @category GAN */
export interface GanTrainStepResult {
  /** The discriminator's loss, `[]`. */
  dLoss: tf.Scalar;
  /** The generator's loss, `[]`. */
  gLoss: tf.Scalar;
}

/**
 * One alternating GAN update (Goodfellow et al., 2014): a discriminator step
 * on `dLoss` for a real batch and as many fakes `G(z)` (generated without
 * gradient to `G`), then a generator step on `gLoss` for fresh fakes, with the
 * discriminator's parameters held fixed. Works with any `tf.Optimizer`
 * (`@fovea/optim`'s `Adam` is one) built over each network's parameters.
 * Both networks should be in training mode.
 *
 * @param netG the generator (e.g. {@link DCGANGenerator}).
 * @param netD the discriminator (e.g. {@link DCGANDiscriminator}).
 * @param optG the generator's optimizer.
 * @param optD the discriminator's optimizer.
 * @param real float32 `[N, ...]` a batch of real data, in the generator's output range.
 * @param opts generatorLoss (default `'non_saturating'`), realLabel (default 1), labels, generator.
 * @returns `dLoss` and `gLoss`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Adam } from '@fovea/optim';
 * import { DCGANDiscriminator, DCGANGenerator, ganTrainStep } from '@fovea/generative';
 * const G = new DCGANGenerator({ imageShape: [28, 28, 1] });
 * const D = new DCGANDiscriminator({ imageShape: [28, 28, 1] });
 * const optG = new Adam(G.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
 * const optD = new Adam(D.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
 * const { dLoss, gLoss } = ganTrainStep(G, D, optG, optD, tf.randomUniform([16, 28, 28, 1], -1, 1));
 * ```
 * @category GAN
 */
export function ganTrainStep(
  netG: GanGeneratorModule,
  netD: GanDiscriminatorModule,
  optG: tf.Optimizer,
  optD: tf.Optimizer,
  real: tf.Tensor,
  opts: GanTrainStepOptions = {},
): GanTrainStepResult {
  const op = 'ganTrainStep';
  checkTensor(op, 'real', real, { dtype: 'float32', minRank: 1 });
  for (const [arg, o] of [['optG', optG], ['optD', optD]] as const) {
    if (!(o instanceof tf.Optimizer)) throw new FoveaError({ op, arg, expected: 'a tf.Optimizer (e.g. @fovea/optim Adam)', got: typeof o });
  }
  const generatorLoss = checkOneOf(op, 'options.generatorLoss', opts.generatorLoss ?? 'non_saturating', ['minimax', 'non_saturating'] as const);
  const n = real.shape[0]!;
  const gen = opts.generator ?? defaultGenerator();
  const labels = opts.labels;
  const dVars = netD.trainableParameters();
  const gVars = netG.trainableParameters();
  const fake = tf.tidy(() => netG.forward(randn([n, netG.latentDim], { generator: gen }), labels)); // outside any tape: no gradient to G
  const z = randn([n, netG.latentDim], { generator: gen });
  try {
    const dLoss = optD.minimize(() => ganLoss(netD.forward(real, labels), netD.forward(fake, labels), { generatorLoss, realLabel: opts.realLabel ?? 1 }).dLoss as tf.Scalar, true, dVars) as tf.Scalar;
    const gLoss = optG.minimize(() => generatorObjective(netD.forward(netG.forward(z, labels), labels), generatorLoss) as tf.Scalar, true, gVars) as tf.Scalar;
    return { dLoss, gLoss };
  } finally {
    tf.dispose([fake, z]);
  }
}
