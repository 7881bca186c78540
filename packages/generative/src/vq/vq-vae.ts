import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ReLU, Sequential, bceWithLogits, checkOneOf, formatShape, mseLoss, type Generator } from '@fovea/core';
import { Conv2d, ConvTranspose2d } from '@fovea/layers';
import { checkBatchOf, checkImageShape, checkSize, genOpt } from '../_internal/args.js';
import { VectorQuantizer, type VectorQuantizeResult } from './vector-quantize.js';

/** Options for {@link VQVAE}. @category VQ-VAE */
export interface VQVAEOptions {
  /** The image shape `[H, W, C]`, `H` and `W` divisible by 4 (the codes are `H/4 × W/4`). */
  imageShape: readonly [number, number, number];
  /** Channels of the encoder and decoder; default 64. */
  hiddenChannels?: number;
  /** Codeword size `D`; default 16. */
  embeddingDim?: number;
  /** Codebook size `K`; default 64. */
  numEmbeddings?: number;
  /** Commitment weight β; default 0.25. */
  beta?: number;
  /** Reconstruction likelihood: `'bernoulli'` (BCE on logits, data in `[0, 1]`) or `'gaussian'` (MSE); default `'bernoulli'`. */
  likelihood?: 'bernoulli' | 'gaussian';
  /** Random source for the initial weights and codebook (default: core's default generator). */
  generator?: Generator;
}

/** What {@link VQVAE.forward} returns (the caller disposes every tensor). @category VQ-VAE */
export interface VQVAEOutput extends VectorQuantizeResult {
  /** `[N, H, W, C]` decoder logits (Bernoulli) or means (Gaussian). */
  reconLogits: tf.Tensor;
}

/** What {@link VQVAE.loss} returns (scalars, the caller disposes them). @category VQ-VAE */
export interface VQVAELoss {
  /** Reconstruction loss, mean per element (BCE or MSE). */
  recon: tf.Tensor;
  /** `mean((sg[z] − e)²)`. */
  codebookLoss: tf.Tensor;
  /** `β·mean((z − sg[e])²)`. */
  commitmentLoss: tf.Tensor;
  /** `recon + codebookLoss + commitmentLoss`, the training objective. */
  loss: tf.Tensor;
  /** int32 `[N, H/4, W/4]` the codes used. */
  indices: tf.Tensor;
}

/**
 * A VQ-VAE (van den Oord et al., 2017) for small images: a convolutional
 * encoder (two stride-2 4×4 convolutions and a 1×1 to `D` channels) to an
 * `H/4 × W/4` grid of vectors, {@link VectorQuantizer} (nearest codeword,
 * straight-through gradient, codebook and commitment losses), and a
 * transposed-convolution decoder. The codes are discrete images: fit an
 * autoregressive prior over them (a {@link PixelCNN} with `levels: K`,
 * `inputEncoding: 'onehot'`), sample codes, and {@link VQVAE.decodeCodes}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VQVAE } from '@fovea/generative';
 * const vq = new VQVAE({ imageShape: [28, 28, 1], numEmbeddings: 32, embeddingDim: 8 });
 * const { loss, indices } = vq.loss(tf.randomUniform([4, 28, 28, 1])); // minimise loss
 * indices.shape; // [4, 7, 7] codes in [0, 32)
 * ```
 * @category VQ-VAE
 */
export class VQVAE extends Module<[tf.Tensor], VQVAEOutput> {
  /** `[H, W, C]`. */
  readonly imageShape: readonly [number, number, number];
  /** `[H/4, W/4]`, the code grid. */
  readonly codeShape: readonly [number, number];
  /** The reconstruction likelihood. */
  readonly likelihood: 'bernoulli' | 'gaussian';
  /** Images → `[N, H/4, W/4, D]`. */
  readonly encoder: Sequential;
  /** The codebook. */
  readonly quantizer: VectorQuantizer;
  /** `[N, H/4, W/4, D]` → logits `[N, H, W, C]`. */
  readonly decoder: Sequential;

  constructor(opts: VQVAEOptions) {
    super();
    const op = 'VQVAE';
    this.imageShape = checkImageShape(op, 'options.imageShape', opts?.imageShape);
    const [h, w, c] = this.imageShape;
    if (h % 4 !== 0 || w % 4 !== 0) throw new FoveaError({ op, arg: 'options.imageShape', expected: '[H, W, C] with H and W divisible by 4', got: formatShape(this.imageShape) });
    this.codeShape = [h / 4, w / 4];
    const hc = checkSize(op, 'options.hiddenChannels', opts.hiddenChannels ?? 64, 2);
    const d = checkSize(op, 'options.embeddingDim', opts.embeddingDim ?? 16);
    const k = checkSize(op, 'options.numEmbeddings', opts.numEmbeddings ?? 64);
    this.likelihood = checkOneOf(op, 'options.likelihood', opts.likelihood ?? 'bernoulli', ['bernoulli', 'gaussian'] as const);
    const g = genOpt(opts.generator);
    const half = hc >> 1;
    this.encoder = this.registerModule('encoder', new Sequential(
      new Conv2d(c, half, 4, { stride: 2, padding: 1, ...g }), new ReLU(), // [N, H/2, W/2, hc/2]
      new Conv2d(half, hc, 4, { stride: 2, padding: 1, ...g }), new ReLU(), // [N, H/4, W/4, hc]
      new Conv2d(hc, hc, 3, { padding: 1, ...g }), new ReLU(),
      new Conv2d(hc, d, 1, g), // [N, H/4, W/4, D]
    ));
    this.quantizer = this.registerModule('quantizer', new VectorQuantizer(k, d, { beta: opts.beta ?? 0.25, ...g }));
    this.decoder = this.registerModule('decoder', new Sequential(
      new Conv2d(d, hc, 3, { padding: 1, ...g }), new ReLU(),
      new ConvTranspose2d(hc, half, 4, { stride: 2, padding: 1, ...g }), new ReLU(), // [N, H/2, W/2, hc/2]
      new ConvTranspose2d(half, c, 4, { stride: 2, padding: 1, ...g }), // [N, H, W, C]
    ));
  }

  /** `x [N, H, W, C]` → reconstruction logits and the quantizer's outputs; see {@link VQVAEOutput}. */
  forward(x: tf.Tensor): VQVAEOutput {
    checkBatchOf('VQVAE.forward', 'x', x, this.imageShape);
    return tf.tidy(() => {
      const q = this.quantizer.forward(this.encoder.forward(x)); // zq [N, h, w, D]
      return { ...q, reconLogits: this.decoder.forward(q.zq) };
    });
  }

  /** The training loss of one forward pass; see {@link VQVAELoss}. */
  loss(x: tf.Tensor): VQVAELoss {
    return tf.tidy(() => {
      const out = this.forward(x);
      const recon = this.likelihood === 'bernoulli' ? bceWithLogits(out.reconLogits, x) : mseLoss(out.reconLogits, x);
      const loss = tf.add(tf.add(recon, out.codebookLoss), out.commitmentLoss);
      return { recon, codebookLoss: out.codebookLoss, commitmentLoss: out.commitmentLoss, loss, indices: out.indices };
    });
  }

  /** Images `[N, H, W, C]` → int32 codes `[N, H/4, W/4]`. */
  encode(x: tf.Tensor): tf.Tensor {
    checkBatchOf('VQVAE.encode', 'x', x, this.imageShape);
    return tf.tidy(() => this.quantizer.forward(this.encoder.forward(x)).indices);
  }

  /** int32 codes `[N, H/4, W/4]` → decoded means `[N, H, W, C]` (pixel probabilities for Bernoulli). */
  decodeCodes(indices: tf.Tensor): tf.Tensor {
    const op = 'VQVAE.decodeCodes';
    if (!(indices instanceof tf.Tensor) || indices.rank !== 3 || indices.shape[1] !== this.codeShape[0] || indices.shape[2] !== this.codeShape[1]) {
      throw new FoveaError({ op, arg: 'indices', expected: `int32 [N, ${this.codeShape[0]}, ${this.codeShape[1]}]`, got: indices instanceof tf.Tensor ? `shape ${formatShape(indices.shape)}` : typeof indices });
    }
    return tf.tidy(() => {
      const y = this.decoder.forward(this.quantizer.lookup(indices)); // [N, H, W, C]
      return this.likelihood === 'bernoulli' ? tf.sigmoid(y) : y;
    });
  }

  /** Reconstructions (decoded means) of `x`, `[N, H, W, C]`. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.decodeCodes(this.encode(x)));
  }
}
