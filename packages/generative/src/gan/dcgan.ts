import * as tf from '@tensorflow/tfjs-core';
import { LeakyReLU, Module, ReLU, Sequential, checkNumber, checkOneOf, defaultGenerator, nchwToNhwc, randn, type Generator } from '@fovea/core';
import { BatchNorm2d, Conv2d, ConvTranspose2d, Embedding, Linear, flatten } from '@fovea/layers';
import { checkBatchOf, checkSize, genOpt } from '../_internal/args.js';
import { labelRows } from '../_internal/labels.js';
import { stagePlan } from './_stages.js';

/** Options for {@link DCGANGenerator}. @category GAN */
export interface DCGANGeneratorOptions {
  /** The image shape `[S, S, C]`, `S = s0·2^L` with `s0 ≥ 4` (28 → 7×7 start, 32 and 64 → 4×4). */
  imageShape: readonly [number, number, number];
  /** Latent size `Z`; default 64. */
  latentDim?: number;
  /** Channels of the last hidden stage (DCGAN's `ngf`), doubled per stage towards the start; default 32. */
  baseChannels?: number;
  /** Classes `K` of a conditional GAN (a one-hot label joins `z`); default 0 (unconditional). */
  numClasses?: number;
  /** Output activation: `'tanh'` (data in `[−1, 1]`, DCGAN's choice), `'sigmoid'` (`[0, 1]`) or `'none'`; default `'tanh'`. */
  output?: 'tanh' | 'sigmoid' | 'none';
  /** Random source for the initial weights and for {@link DCGANGenerator.sampleLatent} (default: core's default generator). */
  generator?: Generator;
}

/**
 * The DCGAN generator (Radford et al., 2016), sized for small images:
 * `z [N, Z]` (+ one-hot label) → `Linear` to `s0 × s0 × c0` → BatchNorm → ReLU,
 * then per stage a stride-2 `ConvTranspose2d(4, padding 1)` → BatchNorm → ReLU
 * halving the channels, the last stage to `C` channels with the output
 * activation. For `[28, 28, 1]` with `baseChannels` 32: 7×7×64 → 14×14×32 → 28×28×1.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DCGANGenerator } from '@fovea/generative';
 * const g = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: 64, numClasses: 10 });
 * const z = g.sampleLatent(4);
 * g.forward(z, tf.tensor1d([0, 1, 2, 3], 'int32')).shape; // [4, 28, 28, 1], values in (-1, 1)
 * ```
 * @category GAN
 */
export class DCGANGenerator extends Module<[tf.Tensor, tf.Tensor?], tf.Tensor> {
  /** Latent size `Z`. */
  readonly latentDim: number;
  /** Number of classes (0 = unconditional). */
  readonly numClasses: number;
  /** `[S, S, C]`. */
  readonly imageShape: readonly [number, number, number];
  /** `[N, Z (+K)]` → `[N, c0·s0·s0]` (no bias: BatchNorm follows). */
  readonly project: Linear;
  /** BatchNorm → ReLU → (ConvTranspose2d → BatchNorm → ReLU)… → ConvTranspose2d. */
  readonly main: Sequential;
  private readonly output: 'tanh' | 'sigmoid' | 'none';
  private readonly c0: number;
  private readonly s0: number;
  private readonly gen: Generator | undefined;

  constructor(opts: DCGANGeneratorOptions) {
    super();
    const op = 'DCGANGenerator';
    const plan = stagePlan(op, opts?.imageShape);
    this.imageShape = plan.shape;
    this.latentDim = checkSize(op, 'options.latentDim', opts.latentDim ?? 64);
    const base = checkSize(op, 'options.baseChannels', opts.baseChannels ?? 32);
    this.numClasses = checkSize(op, 'options.numClasses', opts.numClasses ?? 0, 0);
    this.output = checkOneOf(op, 'options.output', opts.output ?? 'tanh', ['tanh', 'sigmoid', 'none'] as const);
    this.gen = opts.generator;
    const g = genOpt(opts.generator);
    this.s0 = plan.s0;
    this.c0 = base * 2 ** (plan.stages - 1);
    this.project = this.registerModule('project', new Linear(this.latentDim + this.numClasses, this.c0 * this.s0 * this.s0, { bias: false, ...g }));
    const layers: Module[] = [new BatchNorm2d(this.c0), new ReLU()];
    let c = this.c0;
    for (let s = 0; s < plan.stages; s++) {
      const last = s === plan.stages - 1;
      const next = last ? plan.shape[2] : c / 2;
      layers.push(new ConvTranspose2d(c, next, 4, { stride: 2, padding: 1, bias: last, ...g })); // ×2 spatially
      if (!last) layers.push(new BatchNorm2d(next), new ReLU());
      c = next;
    }
    this.main = this.registerModule('main', new Sequential(...layers));
  }

  /** `n` latent codes `z ~ N(0, I)`, `[n, Z]`, from the model's generator (or `generator`). */
  sampleLatent(n: number, generator?: Generator): tf.Tensor {
    checkSize('DCGANGenerator.sampleLatent', 'n', n, 0);
    return randn([n, this.latentDim], { generator: generator ?? this.gen ?? defaultGenerator() });
  }

  /** `z [N, Z]` (and int32 `labels [N]` when conditional) → images `[N, S, S, C]`. */
  forward(z: tf.Tensor, labels?: tf.Tensor): tf.Tensor {
    const op = 'DCGANGenerator.forward';
    const n = checkBatchOf(op, 'z', z, [this.latentDim]);
    return tf.tidy(() => {
      const y = labelRows(op, labels, this.numClasses, n);
      const h = this.project.forward(y ? tf.concat([z, y], 1) : z); // [N, c0·s0·s0] in PyTorch's view(N, c0, s0, s0) order
      const img = this.main.forward(nchwToNhwc(tf.reshape(h, [n, this.c0, this.s0, this.s0]))); // [N, S, S, C]
      if (this.output === 'tanh') return tf.tanh(img);
      return this.output === 'sigmoid' ? tf.sigmoid(img) : img;
    });
  }
}

/** Options for {@link DCGANDiscriminator}. @category GAN */
export interface DCGANDiscriminatorOptions {
  /** The image shape `[S, S, C]` (as the generator's). */
  imageShape: readonly [number, number, number];
  /** Channels of the first stage (DCGAN's `ndf`), doubled per stage; default 32. */
  baseChannels?: number;
  /** Classes `K` of a conditional GAN; default 0 (unconditional). */
  numClasses?: number;
  /**
   * How a conditional discriminator sees the label: `'concat'` (K one-hot
   * channels joined to the image, the classic cGAN) or `'projection'` (the inner
   * product of a learned class embedding with the image features added to the
   * logit, Miyato & Koyama 2018; learns class consistency faster). Default `'concat'`.
   */
  conditioning?: 'concat' | 'projection';
  /** Slope of the LeakyReLUs; default 0.2. */
  negativeSlope?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * The DCGAN discriminator: per stage a stride-2 `Conv2d(4, padding 1)` →
 * BatchNorm (not on the first) → LeakyReLU(0.2), doubling the channels, then a
 * `Linear` to one logit per image. Conditional discriminators see the label
 * as `K` constant one-hot channels concatenated to the image (`'concat'`), or
 * through a projection `logit += embed(y) · φ(x)` of the flattened features
 * `φ(x)` (`'projection'`, parameter `embed.weight` `[K, F]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DCGANDiscriminator } from '@fovea/generative';
 * const d = new DCGANDiscriminator({ imageShape: [28, 28, 1] });
 * d.forward(tf.zeros([4, 28, 28, 1])).shape; // [4] logits: real vs generated
 * ```
 * @category GAN
 */
export class DCGANDiscriminator extends Module<[tf.Tensor, tf.Tensor?], tf.Tensor> {
  /** Number of classes (0 = unconditional). */
  readonly numClasses: number;
  /** `[S, S, C]`. */
  readonly imageShape: readonly [number, number, number];
  /** (Conv2d → [BatchNorm] → LeakyReLU)… */
  readonly main: Sequential;
  /** `[N, c·s0·s0]` → `[N, 1]`. */
  readonly head: Linear;
  /** How the label enters (conditional models). */
  readonly conditioning: 'concat' | 'projection';
  /** `[K, F]` class embeddings of the projection discriminator, or `null`. */
  readonly embed: Embedding | null;

  constructor(opts: DCGANDiscriminatorOptions) {
    super();
    const op = 'DCGANDiscriminator';
    const plan = stagePlan(op, opts?.imageShape);
    this.imageShape = plan.shape;
    const base = checkSize(op, 'options.baseChannels', opts.baseChannels ?? 32);
    this.numClasses = checkSize(op, 'options.numClasses', opts.numClasses ?? 0, 0);
    this.conditioning = checkOneOf(op, 'options.conditioning', opts.conditioning ?? 'concat', ['concat', 'projection'] as const);
    const slope = checkNumber(op, 'options.negativeSlope', opts.negativeSlope ?? 0.2, { min: 0 });
    const g = genOpt(opts.generator);
    const layers: Module[] = [];
    const concat = this.numClasses > 0 && this.conditioning === 'concat';
    let c = plan.shape[2] + (concat ? this.numClasses : 0);
    for (let s = 0; s < plan.stages; s++) {
      const next = base * 2 ** s;
      layers.push(new Conv2d(c, next, 4, { stride: 2, padding: 1, bias: s === 0, ...g })); // ÷2 spatially
      if (s > 0) layers.push(new BatchNorm2d(next));
      layers.push(new LeakyReLU({ negativeSlope: slope }));
      c = next;
    }
    this.main = this.registerModule('main', new Sequential(...layers));
    const f = c * plan.s0 * plan.s0;
    this.head = this.registerModule('head', new Linear(f, 1, g));
    this.embed = this.registerModule('embed', this.numClasses > 0 && !concat ? new Embedding(this.numClasses, f, g) : null);
    if (this.embed) tf.tidy(() => this.embed!.weight.assign(tf.mul(this.embed!.weight, 1 / Math.sqrt(f)))); // N(0, 1/F): a projection of order 1 at the start
  }

  /** Images `x [N, S, S, C]` (and int32 `labels [N]` when conditional) → logits `[N]`. */
  forward(x: tf.Tensor, labels?: tf.Tensor): tf.Tensor {
    const op = 'DCGANDiscriminator.forward';
    const n = checkBatchOf(op, 'x', x, this.imageShape);
    return tf.tidy(() => {
      const y = labelRows(op, labels, this.numClasses, n);
      const s = this.imageShape[0];
      const concat = y && !this.embed;
      const input = concat ? tf.concat([x, tf.broadcastTo(tf.reshape(y, [n, 1, 1, this.numClasses]), [n, s, s, this.numClasses])], 3) : x; // [N, S, S, C (+K)]
      const phi = flatten(this.main.forward(input)); // [N, F]
      const logit = tf.reshape(this.head.forward(phi), [n]); // [N]
      return this.embed ? tf.add(logit, tf.sum(tf.mul(this.embed.forward(labels!), phi), 1)) : logit;
    });
  }
}
