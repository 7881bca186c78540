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
