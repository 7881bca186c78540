import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkOneOf, defaultGenerator, randn, type Generator, type Sequential } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { checkBatchOf, checkSize, checkSizes, genOpt, sizeOf } from '../_internal/args.js';
import { labelRows } from '../_internal/labels.js';
import { flattenItems, mlp, unflattenItems } from '../_internal/mlp.js';
import { reparameterize } from './reparameterize.js';
import { vaeLoss, type VaeLikelihood, type VaeLossResult } from './vae-loss.js';

/** Options for {@link VAE} (and {@link ConditionalVAE}). @category VAE */
export interface VAEOptions {
  /** The shape of one item: `[D]` vectors or `[H, W, C]` images (e.g. `[28, 28, 1]`). */
  inputShape: readonly number[];
  /** Hidden widths of the encoder (the decoder mirrors them); default `[400]` (Kingma & Welling's MNIST model). */
  hidden?: readonly number[];
  /** Latent size `Z`; default 20. */
  latentDim?: number;
  /** The decoder's likelihood: `'bernoulli'` (logits, data in `[0, 1]`) or `'gaussian'` (unit-variance means); default `'bernoulli'`. */
  likelihood?: VaeLikelihood;
  /** Classes `K` of a conditional VAE (a one-hot label joins the encoder's input and the decoder's latent); default 0 (unconditional). */
  numClasses?: number;
  /** Random source for the initial weights and, later, for `ε` and prior samples (default: core's default generator). */
  generator?: Generator;
}

/** What {@link VAE.forward} returns (the caller disposes every tensor). @category VAE */
export interface VAEOutput {
  /** `[N, ...inputShape]` decoder logits (Bernoulli) or means (Gaussian). */
  reconLogits: tf.Tensor;
  /** `[N, Z]` posterior means. */
  mu: tf.Tensor;
  /** `[N, Z]` posterior log-variances. */
  logvar: tf.Tensor;
  /** `[N, Z]` the reparameterized sample the decoder saw. */
  z: tf.Tensor;
}

/** Options of {@link VAE.sample}. @category VAE */
export interface VAESampleOptions {
  /** int32 `[n]` the classes to generate (conditional VAE only). */
  labels?: tf.Tensor;
  /** Scale of the prior's standard deviation (`z ~ N(0, t²I)`); default 1. */
  temperature?: number;
  /** Random source (default: the model's generator). */
  generator?: Generator;
}

/**
 * A variational autoencoder (Kingma & Welling, 2014) with fully connected
 * encoder and decoder: `q(z|x) = N(μ(x), diag exp(logvar(x)))`, prior
 * `N(0, I)`, and a Bernoulli or unit-variance Gaussian decoder `p(x|z)`.
 * Trained by minimising {@link vaeLoss} (the negative ELBO) with the
 * {@link reparameterize} trick. Also: sampling from the prior, reconstruction,
 * per-item negative ELBO (an upper bound on `−log p(x)`, for outlier scores),
 * and — with `numClasses` — the conditional VAE.
 *
 * Parameter names follow the common PyTorch layout: `encoder.*`, `fc_mu`,
 * `fc_logvar`, `decoder.*`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VAE } from '@fovea/generative';
 * const vae = new VAE({ inputShape: [28, 28, 1], hidden: [400], latentDim: 20 });
 * const x = tf.randomUniform([8, 28, 28, 1]);
 * const { loss } = vae.loss(x);   // the negative ELBO, nats per image: minimise it
 * const imgs = vae.sample(16);    // [16, 28, 28, 1] pixel probabilities
 * ```
 * @category VAE
 */
export class VAE extends Module<[tf.Tensor, tf.Tensor?], VAEOutput> {
  /** The shape of one item. */
  readonly inputShape: readonly number[];
  /** Latent size `Z`. */
  readonly latentDim: number;
  /** Number of classes (0 = unconditional). */
  readonly numClasses: number;
  /** The decoder's likelihood. */
  readonly likelihood: VaeLikelihood;
  /** `[N, D (+K)]` → `[N, h]`. */
  readonly encoder: Sequential;
  /** `[N, h]` → `[N, Z]` means. */
  readonly fcMu: Linear;
  /** `[N, h]` → `[N, Z]` log-variances. */
  readonly fcLogvar: Linear;
  /** `[N, Z (+K)]` → `[N, D]` logits. */
  readonly decoder: Sequential;
  private readonly gen: Generator | undefined;

  constructor(opts: VAEOptions) {
    super();
    const op = new.target.name;
    this.inputShape = checkSizes(op, 'options.inputShape', opts?.inputShape);
    const hidden = checkSizes(op, 'options.hidden', opts.hidden ?? [400]);
    this.latentDim = checkSize(op, 'options.latentDim', opts.latentDim ?? 20);
    this.numClasses = checkSize(op, 'options.numClasses', opts.numClasses ?? 0, 0);
    this.likelihood = checkOneOf(op, 'options.likelihood', opts.likelihood ?? 'bernoulli', ['bernoulli', 'gaussian'] as const);
    this.gen = opts.generator;
    const d = sizeOf(this.inputShape);
    const k = this.numClasses;
    const h = hidden.length ? hidden[hidden.length - 1]! : d + k;
    this.encoder = this.registerModule('encoder', mlp([d + k, ...hidden], opts.generator, true));
    this.fcMu = this.registerModule('fc_mu', new Linear(h, this.latentDim, genOpt(opts.generator)));
    this.fcLogvar = this.registerModule('fc_logvar', new Linear(h, this.latentDim, genOpt(opts.generator)));
    this.decoder = this.registerModule('decoder', mlp([this.latentDim + k, ...[...hidden].reverse(), d], opts.generator));
  }

  /** The generator used for `ε` and prior samples. */
  protected get generator(): Generator {
    return this.gen ?? defaultGenerator();
  }

  /** `x [N, ...inputShape]` (and `labels` int32 `[N]` when conditional) → posterior `mu`, `logvar`, each `[N, Z]`. */
  encode(x: tf.Tensor, labels?: tf.Tensor): { mu: tf.Tensor; logvar: tf.Tensor } {
    const op = `${this.constructor.name}.encode`;
    const n = checkBatchOf(op, 'x', x, this.inputShape);
    return tf.tidy(() => {
      const y = labelRows(op, labels, this.numClasses, n);
      const flat = flattenItems(x); // [N, D]
      const h = this.encoder.forward(y ? tf.concat([flat, y], 1) : flat); // [N, h]
      return { mu: this.fcMu.forward(h), logvar: this.fcLogvar.forward(h) };
    });
  }

  /** Latents `z [N, Z]` (and `labels` `[N]` when conditional) → decoder logits (or means) `[N, ...inputShape]`. */
  decode(z: tf.Tensor, labels?: tf.Tensor): tf.Tensor {
    const op = `${this.constructor.name}.decode`;
    const n = checkBatchOf(op, 'z', z, [this.latentDim]);
    return tf.tidy(() => {
      const y = labelRows(op, labels, this.numClasses, n);
      return unflattenItems(this.decoder.forward(y ? tf.concat([z, y], 1) : z), this.inputShape);
    });
  }

  /** `x` → posterior, a reparameterized `z` and its decoding; see {@link VAEOutput}. */
  forward(x: tf.Tensor, labels?: tf.Tensor): VAEOutput {
    const { mu, logvar } = this.encode(x, labels);
    return tf.tidy(() => {
      const z = reparameterize(mu, logvar, { generator: this.generator });
      const reconLogits = this.decode(z, labels);
      return { reconLogits, mu, logvar, z };
    });
  }

  /**
   * The training loss: {@link vaeLoss} of one forward pass (`recon`, `kl`,
   * `loss = recon + β·kl`, nats per item averaged over the batch).
   */
  loss(x: tf.Tensor, labels?: tf.Tensor, opts: { beta?: number } = {}): VaeLossResult {
    return tf.tidy(() => {
      const out = this.forward(x, labels);
      return { ...vaeLoss(x, out.reconLogits, out.mu, out.logvar, { likelihood: this.likelihood, beta: opts.beta ?? 1 }) };
    });
  }

  /**
   * Per-item negative ELBO `[N]` in nats (an upper bound on `−log p(x)`),
   * averaged over `samples` draws of `z` (default 1); high for inputs the
   * model finds unlikely. No gradient is needed: call it in `eval()` mode.
   */
  negativeElbo(x: tf.Tensor, labels?: tf.Tensor, opts: { samples?: number } = {}): tf.Tensor {
    const samples = checkSize(`${this.constructor.name}.negativeElbo`, 'options.samples', opts.samples ?? 1);
    return tf.tidy(() => {
      const { mu, logvar } = this.encode(x, labels);
      let total: tf.Tensor = tf.zeros([x.shape[0]!]);
      for (let s = 0; s < samples; s++) {
        const z = reparameterize(mu, logvar, { generator: this.generator });
        const r = vaeLoss(x, this.decode(z, labels), mu, logvar, { likelihood: this.likelihood, reduction: 'none' });
        total = tf.add(total, r.loss);
      }
      return tf.div(total, samples); // [N]
    });
  }

  /** The decoder's mean for the posterior mean: `[N, ...inputShape]` pixel probabilities (Bernoulli) or means (Gaussian). */
  reconstruct(x: tf.Tensor, labels?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.mean(this.decode(this.encode(x, labels).mu, labels)));
  }

  /**
   * `n` samples from the prior `z ~ N(0, t²I)` decoded to their means
   * `[n, ...inputShape]` (pixel probabilities for Bernoulli). Conditional
   * models take `labels` `[n]`.
   */
  sample(n: number, opts: VAESampleOptions = {}): tf.Tensor {
    const op = `${this.constructor.name}.sample`;
    checkSize(op, 'n', n, 0);
    const t = checkNumber(op, 'options.temperature', opts.temperature ?? 1, { gt: 0 });
    return tf.tidy(() => {
      const z = randn([n, this.latentDim], { generator: opts.generator ?? this.generator, std: t });
      return this.mean(this.decode(z, opts.labels));
    });
  }

  /** Decoder output → its mean (`σ(logits)` for Bernoulli). */
  mean(decoded: tf.Tensor): tf.Tensor {
    return this.likelihood === 'bernoulli' ? tf.sigmoid(decoded) : tf.clone(decoded);
  }
}
