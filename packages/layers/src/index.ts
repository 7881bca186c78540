/**
 * `@fovea/layers`: layers as functions and Modules — Linear, Conv2d/3d,
 * ConvTranspose2d, pooling, unpooling, upsampling, normalisation, dropout,
 * residual blocks, ResNet/VGG builders, transfer learning. Images are
 * channels-last `[N, H, W, C]`; parameters load PyTorch state dicts unchanged.
 *
 * @packageDocumentation
 */
export type { Pair, Triple } from './_internal/args.js';
export { linear, Linear, type LinearOptions } from './linear/linear.js';
export { flatten, Flatten, type FlattenOptions } from './linear/flatten.js';
export { embedding, Embedding, type EmbeddingOptions, type EmbeddingModuleOptions } from './embedding/embedding.js';
export { conv2d, Conv2d, type Conv2dOptions, type Conv2dModuleOptions, type Padding2d } from './conv/conv2d.js';
export { conv3d, Conv3d, type Conv3dOptions, type Conv3dModuleOptions } from './conv/conv3d.js';
export { convTranspose2d, ConvTranspose2d, type ConvTranspose2dOptions, type ConvTranspose2dModuleOptions } from './conv/conv-transpose2d.js';

export { maxPool2d, maxPool2dWithIndices, MaxPool2d, type MaxPool2dOptions, type MaxPool2dModuleOptions, type MaxPool2dResult } from './pool/max-pool2d.js';
export { avgPool2d, AvgPool2d, type AvgPool2dOptions, type AvgPool2dModuleOptions } from './pool/avg-pool2d.js';
export { adaptiveAvgPool2d, AdaptiveAvgPool2d, type AdaptiveSize } from './pool/adaptive-avg-pool2d.js';
export { maxUnpool2d, MaxUnpool2d, type MaxUnpool2dOptions } from './pool/max-unpool2d.js';
export {
  fractionalMaxPool2d,
  fractionalMaxPool2dWithIndices,
  FractionalMaxPool2d,
  type FractionalMaxPool2dOptions,
  type FractionalMaxPool2dModuleOptions,
  type FractionalMaxPool2dResult,
} from './pool/fractional-max-pool2d.js';

export { interpolate, Upsample, type InterpolateOptions, type InterpolateMode } from './upsample/interpolate.js';
export { bedOfNailsUnpool, BedOfNailsUnpool } from './upsample/bed-of-nails-unpool.js';
export { pixelShuffle, pixelUnshuffle, PixelShuffle } from './upsample/pixel-shuffle.js';

export { batchNorm, BatchNorm1d, BatchNorm2d, type BatchNormOptions, type BatchNormModuleOptions } from './norm/batch-norm.js';
export { layerNorm, LayerNorm, type LayerNormOptions } from './norm/layer-norm.js';
export { instanceNorm, InstanceNorm1d, InstanceNorm2d, type InstanceNormOptions, type InstanceNormModuleOptions } from './norm/instance-norm.js';
export { groupNorm, GroupNorm, type GroupNormOptions } from './norm/group-norm.js';

export { dropout, dropout2d, Dropout, Dropout2d, type DropoutOptions, type DropoutModuleOptions } from './regularization/dropout.js';
export { stochasticDepth, StochasticDepth, type StochasticDepthOptions } from './regularization/stochastic-depth.js';

export { convOutputSize, type ConvOutputSizeOptions } from './sizes/conv-output-size.js';
export { receptiveField, type ReceptiveFieldLayer } from './sizes/receptive-field.js';

export { BasicBlock, type BasicBlockOptions } from './models/basic-block.js';
export { Bottleneck, type BottleneckOptions } from './models/bottleneck.js';
export { ResNet, resnet18, resnet34, resnet50, type ResNetOptions, type ResNetFactoryOptions } from './models/resnet.js';
export { ConvNet, vgg, alexnet, type ConvNetOptions, type ConvSpec, type ConvLayerSpec, type PoolLayerSpec, type VGGOptions } from './models/vgg.js';

export { freeze, unfreeze, type FreezeOptions } from './transfer/freeze.js';
export { replaceHead, type ReplaceHeadOptions } from './transfer/replace-head.js';
export { FeatureExtractor, type FeatureExtractorOptions, type Backbone } from './transfer/feature-extractor.js';
export { fineTuneParamGroups, type FineTuneGroupsOptions, type ParamGroupSpec } from './transfer/param-groups.js';
