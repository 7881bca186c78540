/**
 * `@fovea/generative`: generative models on TensorFlow.js — autoencoders,
 * VAEs (and conditional VAEs), GANs (DCGAN, conditional GAN), PixelCNN
 * (masked and gated convolutions), PixelRNN (row LSTM), VQ-VAE with an
 * autoregressive prior, an image transformer, MADE and RealNVP; exact
 * log-likelihoods and bits per dimension, autoregressive sampling and
 * inpainting, latent interpolation and editing, and outlier scoring by
 * likelihood. Images are channels-last `[N, H, W, C]`; parameters load
 * PyTorch state dicts.
 *
 * @packageDocumentation
 */
export { reparameterize, type ReparameterizeOptions } from './vae/reparameterize.js';
export { vaeLoss, type VaeLossOptions, type VaeLossResult, type VaeLikelihood } from './vae/vae-loss.js';
export { ganLoss, type GanLossOptions, type GanLossResult, type GeneratorLoss } from './gan/gan-loss.js';
export {
  pixelCnnMask,
  maskedConv2d,
  MaskedConv2d,
  type MaskType,
  type MaskedConv2dOptions,
  type MaskedConv2dModuleOptions,
} from './autoregressive/masked-conv2d.js';
export { bitsPerDim, natsToBitsPerDim, type BitsPerDimOptions, type BitsPerDimResult } from './autoregressive/bits-per-dim.js';
export {
  vectorQuantize,
  VectorQuantizer,
  type VectorQuantizeOptions,
  type VectorQuantizeResult,
  type VectorQuantizerOptions,
} from './vq/vector-quantize.js';
export { codebookUsage, type CodebookUsage } from './vq/codebook-usage.js';

export { VAE, type VAEOptions, type VAEOutput, type VAESampleOptions } from './vae/vae.js';
export { ConditionalVAE, type ConditionalVAEOptions } from './vae/conditional-vae.js';
export { interpolateLatents, type InterpolateLatentsOptions } from './vae/interpolate-latents.js';
export { editLatents, latentTraversal, type LatentEdit } from './vae/edit-latents.js';
export { Autoencoder, type AutoencoderOptions } from './autoencoder/autoencoder.js';

export { DCGANGenerator, DCGANDiscriminator, type DCGANGeneratorOptions, type DCGANDiscriminatorOptions } from './gan/dcgan.js';
export {
  ganTrainStep,
  type GanTrainStepOptions,
  type GanTrainStepResult,
  type GanGeneratorModule,
  type GanDiscriminatorModule,
} from './gan/gan-train-step.js';

export type { InputEncoding } from './_internal/discrete.js';
export { GatedMaskedConv2d, type GatedMaskedConv2dOptions } from './autoregressive/gated-masked-conv2d.js';
export { PixelCNN, type PixelCNNOptions } from './autoregressive/pixel-cnn.js';
export { RowLSTM, type RowLSTMOptions } from './autoregressive/row-lstm.js';
export { PixelRNN, type PixelRNNOptions } from './autoregressive/pixel-rnn.js';
export {
  sampleAutoregressive,
  inpaint,
  type AutoregressiveImageModel,
  type SampleAutoregressiveOptions,
} from './autoregressive/sample-autoregressive.js';

export { VQVAE, type VQVAEOptions, type VQVAEOutput, type VQVAELoss } from './vq/vq-vae.js';

export { MaskedLinear } from './flows/masked-linear.js';
export { MADE, type MADEOptions, type MADESampleOptions } from './flows/made.js';
export { AffineCoupling, RealNVP, type RealNVPOptions } from './flows/real-nvp.js';

export { outlierAuroc, type Scores } from './outlier/outlier-auroc.js';
export { ImageTransformer, type ImageTransformerOptions } from './autoregressive/image-transformer.js';
