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

export { decodeSafetensors, encodeSafetensors, type Safetensors, type DecodeSafetensorsOptions } from './io/safetensors.js';
export { saveSafetensors, loadSafetensors, saveModule, loadModule } from './io/files.js';

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
