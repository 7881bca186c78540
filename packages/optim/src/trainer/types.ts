import type * as tf from '@tensorflow/tfjs-core';
import type { Generator, Module } from '@fovea/core';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { LRScheduler } from '../schedules/scheduler.js';

/**
 * One batch: inputs `x` and targets `y` as an object or a pair `[x, y]` (what core's
 * `DataLoader` over a `TensorDataset([x, y])` yields). The trainer disposes
 * every batch after using it.
 *
 * @category Trainer
 */
export type Batch = { x: tf.Tensor; y: tf.Tensor } | tf.Tensor[];

/**
 * Where batches come from: core's `DataLoader` (re-iterable, reshuffled each
 * epoch), any (async) iterable of batches, or a function returning a fresh
 * iterable for each epoch.
 *
 * @category Trainer
 */
export type BatchSource = AsyncIterable<Batch> | Iterable<Batch> | ((epoch: number) => AsyncIterable<Batch> | Iterable<Batch>);

/** A batch metric: the batch **mean** of something, `[]`; the trainer averages it over an epoch weighted by batch size. @category Trainer */
export type MetricFn = (pred: tf.Tensor, y: tf.Tensor) => tf.Scalar;

/** One epoch's results: `loss`, each metric, `val_loss` and `val_<metric>` when validating, the lr at the epoch's end. @category Trainer */
export interface EpochLog {
  /** The epoch, from 1. */
  epoch: number;
  /** Mean training loss. */
  loss: number;
  /** The first group's learning rate at the end of the epoch. */
  lr: number;
  /** Wall time of the epoch (training and validation), ms. */
  timeMs: number;
  /** Metrics: `acc`, `val_loss`, `val_acc`, ... */
  [metric: string]: number;
}

/** One optimizer step's results. @category Trainer */
export interface StepLog {
  /** Epoch (from 1). */
  epoch: number;
  /** Batch within the epoch (from 0). */
  batch: number;
  /** Optimizer steps so far, including this one. */
  globalStep: number;
  /** The batch loss. */
  loss: number;
  /** The learning rate used for this step (first group). */
  lr: number;
}

/**
 * What {@link Trainer.fit} returns, plain JSON ready for plotting: one log
 * per epoch, and the loss and learning rate of every step.
 *
 * @category Trainer
 */
export interface History {
  /** Per-epoch logs in order. */
  epochs: EpochLog[];
  /** The loss of every optimizer step. */
  stepLoss: number[];
  /** The learning rate of every optimizer step. */
  stepLr: number[];
  /** The epoch with the best monitored value, or `null` when nothing is monitored. */
  bestEpoch: number | null;
  /** The best monitored value. */
  bestValue: number | null;
  /** Whether early stopping (or a callback) ended training before `epochs`. */
  stopped: boolean;
}

/**
 * Hooks called during {@link Trainer.fit} (each may be async). Set
 * `trainer.stopTraining = true` from any of them to stop after the epoch.
 *
 * @category Trainer
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(trainer: TrainerLike): void | Promise<void>;
  /** Before each epoch. */
  onEpochBegin?(epoch: number, trainer: TrainerLike): void | Promise<void>;
  /** After each optimizer step. */
  onBatchEnd?(log: StepLog, trainer: TrainerLike): void | Promise<void>;
  /** After each epoch (and its validation). */
  onEpochEnd?(log: EpochLog, trainer: TrainerLike): void | Promise<void>;
  /** After the last epoch. */
  onTrainEnd?(history: History, trainer: TrainerLike): void | Promise<void>;
}

/** What callbacks see of the trainer. @category Trainer */
export interface TrainerLike {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly scheduler: LRScheduler | null;
  readonly history: History;
  /** Set to stop training after the current epoch. */
  stopTraining: boolean;
}

/** Early stopping (see {@link FitOptions.earlyStopping}). @category Trainer */
export interface EarlyStoppingOptions {
  /** The log key to watch; default `'val_loss'` with validation, else `'loss'`. */
  monitor?: string;
  /** `'min'` or `'max'`; default `'max'` for keys containing `acc`, else `'min'`. */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping; default 5. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /** Load the best epoch's weights when training ends; default true. */
  restoreBest?: boolean;
}

/** Periodic checkpoints (see {@link FitOptions.checkpoint}). @category Trainer */
export interface CheckpointOptions {
  /** The safetensors file to write (overwritten atomically each time). */
  path: string;
  /** Write every `every` epochs; default 1. */
  every?: number;
}

/** Options of {@link Trainer.fit}. @category Trainer */
export interface FitOptions {
  /** Total epochs (a resumed run continues up to this number). */
  epochs: number;
  /** Validation batches, evaluated after each epoch (in eval mode, no gradients). */
  validation?: BatchSource;
  /** Stop when the monitored value stops improving. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Write a checkpoint (model, optimizer, scheduler, RNG, history) during training. */
  checkpoint?: CheckpointOptions;
  /** A checkpoint file to resume from (written by `checkpoint`); training continues after its epoch. */
  resumeFrom?: string;
}

/** Options of the {@link Trainer}. @category Trainer */
export interface TrainerOptions {
  /** The model: `forward(x)` returns predictions (logits). */
  model: Module;
  /** The optimizer over the model's parameters. */
  optimizer: Optimizer;
  /** The training loss, a scalar mean over the batch (e.g. core's `crossEntropy`). */
  loss: (pred: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /** A learning-rate schedule built on `optimizer`; default none. */
  scheduler?: LRScheduler;
  /** Step the scheduler after every batch (`'step'`, default) or every epoch (`'epoch'`). */
  schedulerInterval?: 'step' | 'epoch';
  /** Batch metrics by name (each a batch mean, e.g. accuracy); default none. */
  metrics?: Record<string, MetricFn>;
  /** Clip the gradients' total 2-norm to this before each step; default no clipping. */
  clipGradNorm?: number;
  /** Clamp gradient entries to `[-v, v]` before each step; default no clipping. */
  clipGradValue?: number;
  /** The random generators whose state checkpoints save and restore (the loader's shuffling, dropout); default core's `defaultGenerator()`. */
  generators?: Generator[];
  /** Hooks; default none. */
  callbacks?: Callback[];
  /** Progress output: `true` (a bar in a TTY, one line per epoch otherwise), `false`, or a stream; default `true`. */
  progress?: boolean | ProgressStream;
}

/** Where progress goes: anything with `write` (Node's `process.stdout`); `isTTY` picks the bar. @category Trainer */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}
