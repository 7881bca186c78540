/**
 * `@fovea/core`: backends, the Module system, seeded randomness, validation,
 * PyTorch interop and safetensors — the ground every Fovea package stands on.
 *
 * @packageDocumentation
 */
export { FoveaError, isFoveaError, type FoveaErrorDetails } from './errors/fovea-error.js';
export {
  checkTensor,
  checkShape,
  formatShape,
  type DimSpec,
  type DimBindings,
  type TensorSpec,
} from './validate/shape.js';
export { checkNumber, checkOneOf, checkPair, checkFinite, describeValue, type NumberSpec } from './validate/values.js';

export {
  initBackend,
  backendInfo,
  type BackendName,
  type BackendInfo,
  type InitBackendOptions,
} from './backend/init-backend.js';
export {
  runJsKernel,
  isJsKernelBackend,
  type KernelArray,
  type JsKernelOutput,
  type RunJsKernelOptions,
} from './backend/run-js-kernel.js';
export {
  installNodeWebGPU,
  describeWebGPUAdapter,
  getNodeWebGPUInstallError,
  type WebGPUAdapterDescription,
} from './backend/webgpu-node.js';

export { Generator, defaultGenerator, manualSeed, setDefaultGenerator, type GeneratorState } from './random/generator.js';
export { uniform, rand, randn, randint, bernoulli, randperm, type RandomOptions } from './random/sampling.js';

export { Parameter, type ParameterOptions } from './nn/parameter.js';
export {
  Module,
  type StateDict,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type BufferOptions,
} from './nn/module.js';
export { Sequential, ModuleList } from './nn/sequential.js';

export {
  identityLayout,
  linearWeightLayout,
  conv2dWeightLayout,
  convTranspose2dWeightLayout,
  conv3dWeightLayout,
  convTranspose3dWeightLayout,
  type TorchLayout,
} from './interop/layout.js';
export { nchwToNhwc, nhwcToNchw } from './interop/channels.js';
export { poolIndicesToTorch, poolIndicesFromTorch } from './interop/pool-indices.js';

export { decodeSafetensors, encodeSafetensors, type Safetensors, type DecodeSafetensorsOptions, type EncodeSafetensorsOptions } from './io/safetensors.js';
export { saveSafetensors, loadSafetensors, saveModule, loadModule } from './io/files.js';

// activations
export { relu, ReLU } from './activations/relu.js';
export { sigmoid, Sigmoid } from './activations/sigmoid.js';
export { tanh, Tanh } from './activations/tanh.js';
export { leakyRelu, LeakyReLU, type LeakyReLUOptions } from './activations/leaky-relu.js';
export { prelu, PReLU, type PreluOptions, type PReLUOptions } from './activations/prelu.js';
export { maxout, Maxout, type MaxoutOptions, type MaxoutModuleOptions } from './activations/maxout.js';
export { elu, ELU, type ELUOptions } from './activations/elu.js';
export { selu, SELU } from './activations/selu.js';
export { gelu, GELU, type GeluApproximate, type GELUOptions } from './activations/gelu.js';
export { silu, SiLU } from './activations/silu.js';
export { softplus, Softplus, type SoftplusOptions } from './activations/softplus.js';
export { softmax, Softmax, type SoftmaxOptions } from './activations/softmax.js';
export { logSoftmax, LogSoftmax } from './activations/log-softmax.js';

// init
export { calculateGain, type Nonlinearity } from './init/gain.js';
export { computeFans, type Fans } from './init/fans.js';
export { type InitTarget, type InitOptions } from './init/_target.js';
export { kaimingUniform, kaimingNormal, type KaimingOptions } from './init/kaiming.js';
export { xavierUniform, xavierNormal, type XavierOptions } from './init/xavier.js';
export { smallRandom, type SmallRandomOptions } from './init/small-random.js';
export { defaultWeightInit, defaultBiasInit } from './init/default-init.js';

// losses
export { type Reduction } from './losses/_common.js';
export { mseLoss, MSELoss, type ReductionOptions } from './losses/mse-loss.js';
export { crossEntropy, CrossEntropyLoss, type CrossEntropyOptions } from './losses/cross-entropy.js';
export { svmLoss, SVMLoss, type SVMLossOptions } from './losses/svm-loss.js';
export { bceWithLogits, BCEWithLogitsLoss, type BCEWithLogitsOptions } from './losses/bce-with-logits.js';
export { smoothL1Loss, SmoothL1Loss, type SmoothL1LossOptions } from './losses/smooth-l1-loss.js';
export { huberLoss, HuberLoss, type HuberLossOptions } from './losses/huber-loss.js';

// regularization
export { type Weights } from './regularization/_params.js';
export { l1 } from './regularization/l1.js';
export { l2 } from './regularization/l2.js';
export { elasticNet } from './regularization/elastic-net.js';
export { weightDecay, type WeightDecayOptions } from './regularization/weight-decay.js';

// preprocessing
export { eigh, eighArrays, type EighArraysOptions, type EighArraysResult, type EighMethod, type EighOptions, type EighResult } from './preprocess/eigh.js';
export { standardize, Standardizer, type StandardizeOptions, type StandardizeResult } from './preprocess/standardize.js';
export { pca, PCA, type PCAOptions, type PCAResult } from './preprocess/pca.js';
export { whiten, Whitening, type WhiteningKind, type WhiteningOptions } from './preprocess/whiten.js';

// classifiers
export { squaredEuclideanDistance } from './classifiers/squared-euclidean-distance.js';
export { type KNNMetric } from './classifiers/_neighbors.js';
export { KNNClassifier, knnPredict, type KNNOptions } from './classifiers/knn.js';
export { crossValidateKnn, type CrossValidateKnnOptions, type CrossValidateKnnResult } from './classifiers/cross-validate-knn.js';
export {
  LinearClassifier,
  type LinearLoss,
  type LinearClassifierOptions,
  type LinearFitOptions,
} from './classifiers/linear-classifier.js';

// data: datasets, loaders, splits, k-fold
export {
  TensorDataset,
  Subset,
  MapDataset,
  ConcatDataset,
  type Dataset,
  type TensorStructure,
} from './data/dataset.js';
export { defaultCollate, type Collated } from './data/collate.js';
export type { MaybePromise } from './data/_internal/tensors.js';
export { DataLoader, type DataLoaderOptions } from './data/data-loader.js';
export {
  randomSplit,
  randomSplitIndices,
  trainValTestSplit,
  type SplitOptions,
  type TrainValTestOptions,
  type TrainValTest,
} from './data/random-split.js';
export { kFold, type KFoldOptions, type Fold } from './data/k-fold.js';

// datasets and readers
export {
  loadDigits,
  digitsSplitIndices,
  DIGITS_SPLIT_SEED,
  DIGITS_SIZES,
  type Digits,
  type DigitsSplit,
  type DigitsArraySplit,
  type LoadDigitsOptions,
} from './datasets/digits.js';
export type { LabeledImages, LabeledImageArrays, ReaderFormat } from './readers/labeled-images.js';
export { decodeIdx, readIdx, type IdxArray, type IdxDtype, type IdxDecodeOptions } from './readers/idx.js';
export { decodeMnist, readMnist, type MnistOptions } from './readers/mnist.js';
export {
  decodeCifar,
  readCifar,
  CIFAR10_CLASSES,
  type CifarVariant,
  type CifarOptions,
  type CifarImages,
  type CifarImageArrays,
} from './readers/cifar.js';
export { decodeImage, type DecodedImage, type DecodeImageOptions } from './readers/decode-image.js';
export {
  ImageFolder,
  type ImageFolderOptions,
  type ImageFolderSample,
  type ImageFolderEntry,
} from './readers/image-folder.js';

// augmentation
export { gridSample, type GridSampleOptions } from './augment/grid-sample.js';
export type { SampleMode, PaddingMode } from './augment/_internal/sample.js';
export { affine, rotate, inverseAffineMatrix, type AffineParams, type AffineOptions } from './augment/affine.js';
export { resizedCrop, type CropBox } from './augment/resized-crop.js';
export { randomCrop, type RandomCropOptions } from './augment/random-crop.js';
export { randomResizedCrop, type RandomResizedCropOptions } from './augment/random-resized-crop.js';
export { randomAffine, type RandomAffineOptions, type RandomGeometryOptions } from './augment/random-affine.js';
export { randomRotation } from './augment/random-rotation.js';
export { randomTranslation } from './augment/random-translation.js';
export { randomStretch } from './augment/random-stretch.js';
export { randomShear } from './augment/random-shear.js';
export {
  lensDistortion,
  randomLensDistortion,
  type LensDistortionOptions,
  type RandomLensDistortionOptions,
} from './augment/lens-distortion.js';
export { randomHorizontalFlip, type RandomFlipOptions } from './augment/random-horizontal-flip.js';
export { adjustBrightness, adjustContrast, adjustSaturation, adjustHue } from './augment/adjust-color.js';
export { colorJitter, type ColorJitterOptions } from './augment/color-jitter.js';
export { cutout, randomCutout, type Patch, type CutoutOptions, type RandomCutoutOptions } from './augment/cutout.js';
export { mixup, type MixupOptions, type MixedBatch } from './augment/mixup.js';
export { cutmix, type CutmixOptions, type CutmixBatch } from './augment/cutmix.js';
