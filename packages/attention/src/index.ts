/**
 * `@fovea/attention`: attention, multi-head attention, positional encodings,
 * Transformer blocks (post- and pre-norm, encoder and decoder), the Vision
 * Transformer, attention in CNNs (self-attention over feature maps, local
 * attention, SE, CBAM, SK), the recurrent attention model, and multi-head
 * attention as a tfjs-layers `Layer`. Sequences are `[B, T, E]`, images
 * channels-last `[B, H, W, C]`; weights load PyTorch state dicts unchanged.
 *
 * @packageDocumentation
 */
export {
  scaledDotProductAttention,
  type ScaledDotProductAttentionOptions,
  type AttentionOutput,
} from './attention/scaled-dot-product-attention.js';
export {
  multiheadAttention,
  MultiheadAttention,
  type MultiheadAttentionWeights,
  type MultiheadAttentionCallOptions,
  type MultiheadAttentionOptions,
  type MultiheadAttentionOutput,
  type MultiheadAttentionModuleOptions,
} from './attention/multihead-attention.js';
export { Attention, SelfAttention, type AttentionOptions, type AttentionCallOptions, type SelfAttentionOptions } from './attention/attention-layer.js';

export { sinusoidalPositionEncoding, SinusoidalPositionalEncoding, type SinusoidalOptions, type SinusoidalPositionalEncodingOptions } from './positional/sinusoidal-position-encoding.js';
export { LearnedPositionalEncoding, type LearnedPositionalEncodingOptions } from './positional/learned-positional-encoding.js';

export { type TransformerActivation } from './transformer/activation.js';
export { type TransformerLayerOptions } from './transformer/options.js';
export { TransformerEncoderLayer, type TransformerEncoderLayerCallOptions } from './transformer/transformer-encoder-layer.js';
export { TransformerDecoderLayer, type TransformerDecoderLayerCallOptions } from './transformer/transformer-decoder-layer.js';
export { TransformerEncoder, type TransformerStackOptions } from './transformer/transformer-encoder.js';
export { TransformerDecoder } from './transformer/transformer-decoder.js';
export { Transformer, generateSquareSubsequentMask, type TransformerOptions, type TransformerCallOptions } from './transformer/transformer.js';

export { patchEmbed, PatchEmbed, type PatchEmbedOptions } from './vit/patch-embed.js';
export { VisionTransformer, ViTEncoder, ViTEncoderBlock, type VisionTransformerOptions, type VisionTransformerOutput, type ViTBlockOutput, type ViTEncoderOutput } from './vit/vision-transformer.js';

export { squeezeExcitation, SqueezeExcitation, type SqueezeExcitationWeights, type SqueezeExcitationOptions, type SqueezeExcitationModuleOptions } from './cnn/squeeze-excitation.js';
export { cbam, CBAM, type CBAMWeights, type CBAMOptions } from './cnn/cbam.js';
export { attentionRollout, type AttentionRolloutOptions } from './vit/attention-rollout.js';
export { SelfAttention2d, type SelfAttention2dOptions, type SelfAttention2dOutput } from './cnn/self-attention-2d.js';
export { LocalAttention2d, type LocalAttention2dOptions } from './cnn/local-attention-2d.js';
export { SKConv, type SKConvOptions, type SKConvOutput } from './cnn/sk-conv.js';

export { MultiHeadAttentionLayer, registerAttentionLayers, type MultiHeadAttentionLayerArgs, type InitializerSpec, type InitializerConfig } from './tfjs-layers/multi-head-attention-layer.js';

export { glimpseSensor, type GlimpseSensorOptions } from './ram/glimpse-sensor.js';
export { GlimpseNetwork, type GlimpseNetworkOptions } from './ram/glimpse-network.js';
export { LocationNetwork, type LocationNetworkOptions, type LocationSample } from './ram/location-network.js';
export { RecurrentAttentionModel, ramLoss, type RecurrentAttentionModelOptions, type RAMOutput, type RAMLoss, type RAMLossOptions } from './ram/recurrent-attention-model.js';
