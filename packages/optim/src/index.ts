/**
 * `@fovea/optim`: Optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW), learning-rate schedules, gradient clipping, a Trainer, hyperparameter search and ensembles.
 *
 * @packageDocumentation
 */
export {
  Optimizer,
  type GroupOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type GradientsInput,
  type OptimizerStateDict,
  type NamedTensor,
  type ParamState,
} from './optimizers/optimizer.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop.js';
export { Adam, type AdamOptions } from './optimizers/adam.js';
export { AdamW } from './optimizers/adamw.js';
export { registerOptimizers } from './optimizers/register.js';
export { clipGradNorm, type ClipGradNormResult } from './clip/clip-grad-norm.js';
export { clipGradValue } from './clip/clip-grad-value.js';
export type { GradList } from './_internal/grad-list.js';
export { LRScheduler, type SchedulableOptimizer, type SchedulerState } from './schedules/scheduler.js';
export { StepLR, type StepLROptions } from './schedules/step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './schedules/multi-step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './schedules/exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedules/cosine-annealing-lr.js';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from './schedules/cosine-annealing-warm-restarts.js';
export { LinearLR, type LinearLROptions } from './schedules/linear-lr.js';
export { InverseSqrtLR, type InverseSqrtLROptions } from './schedules/inverse-sqrt-lr.js';
export { OneCycleLR, type OneCycleLROptions } from './schedules/one-cycle-lr.js';
export { LambdaLR } from './schedules/lambda-lr.js';
export { SequentialLR } from './schedules/sequential-lr.js';
export { ChainedScheduler } from './schedules/chained-scheduler.js';
export { withWarmup, type WithWarmupOptions } from './schedules/with-warmup.js';
export {
  flattenOptimizerState,
  unflattenOptimizerState,
  saveOptimizer,
  loadOptimizer,
  type FlatOptimizerState,
} from './optimizers/state-io.js';
export { Trainer } from './trainer/trainer.js';
export { ProgressBar, StepProgress } from './trainer/progress.js';
export { saveTrainingCheckpoint, loadTrainingCheckpoint, type CheckpointMeta, type CheckpointParts } from './trainer/checkpoint.js';
export type {
  Batch,
  BatchSource,
  MetricFn,
  EpochLog,
  StepLog,
  History,
  Callback,
  TrainerLike,
  EarlyStoppingOptions,
  CheckpointOptions,
  FitOptions,
  TrainerOptions,
  ProgressStream,
} from './trainer/types.js';
export { checkInitialLoss, type CheckInitialLossOptions, type InitialLossReport } from './recipes/check-initial-loss.js';
export { overfitSmallSample, type OverfitOptions, type OverfitReport } from './recipes/overfit-small-sample.js';
export { findLr, type FindLrOptions, type FindLrResult } from './recipes/find-lr.js';
export {
  randomSearch,
  gridSearch,
  logUniform,
  uniformRange,
  intUniform,
  choice,
  type SearchDim,
  type SearchSpace,
  type SearchOptions,
  type SearchResult,
  type Trial,
} from './recipes/search.js';
export { coarseToFineSearch, type CoarseToFineOptions } from './recipes/coarse-to-fine.js';
export { ensemblePredict, SnapshotEnsemble, type EnsembleOptions, type SnapshotEnsembleOptions } from './recipes/ensembles.js';
