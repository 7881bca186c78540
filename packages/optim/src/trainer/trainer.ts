import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, defaultGenerator, type Generator, type Module, type StateDict } from '@fovea/core';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { LRScheduler } from '../schedules/scheduler.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from './checkpoint.js';
import { EarlyStopper } from './early-stopping.js';
import { ProgressBar, fmt } from './progress.js';
import { iterateBatches, unpackBatch } from './batches.js';
import type { BatchSource, Callback, EpochLog, FitOptions, History, MetricFn, TrainerLike, TrainerOptions } from './types.js';

function emptyHistory(): History {
  return { epochs: [], stepLoss: [], stepLr: [], bestEpoch: null, bestValue: null, stopped: false };
}

/**
 * A training loop for Fovea modules, in the spirit of Keras' `fit` and
 * PyTorch Lightning's trainer: epochs over a loader (core's `DataLoader`
 * or any iterable of `{x, y}` batches), per-epoch metrics, validation,
 * learning-rate schedules per step or epoch, gradient clipping, early
 * stopping with the best weights restored, checkpoints through safetensors
 * (model, optimizer, scheduler, RNG and history: resuming reproduces an
 * uninterrupted run with the same seed), callbacks, and a progress bar.
 * A NaN or infinite loss stops training with a `FoveaError` (from @fovea/core) naming the
 * epoch and step, before that step touches the weights.
 *
 * @example
 * ```ts
 * import { DataLoader, TensorDataset, crossEntropy } from '@fovea/core';
 * import { Adam, CosineAnnealingLR, Trainer } from '@fovea/optim';
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * const trainer = new Trainer({
 *   model, optimizer: opt, loss: (logits, y) => crossEntropy(logits, y),
 *   scheduler: new CosineAnnealingLR(opt, { tMax: 10 * loader.length }),
 *   metrics: { acc: (logits, y) => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), y), 'float32')) as tf.Scalar },
 * });
 * const history = await trainer.fit(loader, { epochs: 10, validation: valLoader, earlyStopping: { patience: 3 } });
 * history.epochs.at(-1); // { epoch: 10, loss: 0.08, acc: 0.98, val_loss: 0.12, val_acc: 0.96, lr: 0, timeMs: 900 }
 * ```
 * @category Trainer
 */
export class Trainer implements TrainerLike {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly scheduler: LRScheduler | null;
  /** The history so far (kept across `fit` calls and restored from checkpoints). */
  history: History = emptyHistory();
  /** Set (e.g. from a callback) to stop after the current epoch. */
  stopTraining = false;
  /** Epochs completed. */
  epoch = 0;
  /** Optimizer steps completed. */
  globalStep = 0;
  private readonly opts: TrainerOptions;
  private readonly metrics: [string, MetricFn][];
  private readonly generators: Generator[];
  private readonly callbacks: Callback[];
  private best: StateDict | null = null;
  private stopper: EarlyStopper | null = null;

  constructor(opts: TrainerOptions) {
    const op = 'Trainer';
    if (!opts || typeof opts !== 'object') throw new FoveaError({ op, arg: 'opts', expected: 'an options object', got: String(opts) });
    if (!opts.model || typeof opts.model.forward !== 'function') throw new FoveaError({ op, arg: 'opts.model', expected: 'a Module', got: typeof opts.model });
    if (!opts.optimizer || typeof opts.optimizer.step !== 'function') throw new FoveaError({ op, arg: 'opts.optimizer', expected: 'a Fovea Optimizer', got: typeof opts.optimizer });
    if (typeof opts.loss !== 'function') throw new FoveaError({ op, arg: 'opts.loss', expected: 'a loss function (pred, y) => scalar', got: typeof opts.loss });
    if (opts.scheduler && (opts.scheduler.optimizer as unknown) !== opts.optimizer) {
      throw new FoveaError({ op, arg: 'opts.scheduler', expected: 'a scheduler built on opts.optimizer', got: 'one of another optimizer' });
    }
    if (opts.clipGradNorm !== undefined) checkNumber(op, 'opts.clipGradNorm', opts.clipGradNorm, { gt: 0 });
    if (opts.clipGradValue !== undefined) checkNumber(op, 'opts.clipGradValue', opts.clipGradValue, { gt: 0 });
    this.opts = opts;
    this.model = opts.model;
    this.optimizer = opts.optimizer;
    this.scheduler = opts.scheduler ?? null;
    this.metrics = Object.entries(opts.metrics ?? {});
    this.generators = opts.generators ?? [defaultGenerator()];
    this.callbacks = opts.callbacks ?? [];
  }

  /**
   * Trains for `opts.epochs` epochs in total (a resumed run continues from
   * its checkpoint's epoch), and returns the history.
   *
   * @param train the training batches (see {@link BatchSource}).
   */
  async fit(train: BatchSource, opts: FitOptions): Promise<History> {
    const epochs = checkNumber('Trainer.fit', 'opts.epochs', opts?.epochs, { integer: true, min: 0 });
    if (opts.checkpoint) checkNumber('Trainer.fit', 'opts.checkpoint.every', opts.checkpoint.every ?? 1, { integer: true, min: 1 });
    this.stopper = opts.earlyStopping || opts.validation ? new EarlyStopper(opts.earlyStopping, !!opts.validation) : null;
    if (opts.resumeFrom) await this.loadCheckpoint(opts.resumeFrom);
    const bar = new ProgressBar(this.opts.progress === false ? null : this.opts.progress === true || this.opts.progress === undefined ? undefined : this.opts.progress, epochs);
    this.stopTraining = false;
    for (const cb of this.callbacks) await cb.onTrainBegin?.(this);
    while (this.epoch < epochs && !this.stopTraining) {
      const log = await this.runEpoch(train, opts, bar);
      bar.endEpoch(log);
      if (this.stopper?.stop) {
        this.stopTraining = true;
        this.history.stopped = true;
        bar.message(`early stopping after epoch ${this.epoch}: ${this.stopper.monitor} did not improve for ${this.stopper.patience} epochs (best ${fmt(this.history.bestValue ?? NaN)} at epoch ${this.history.bestEpoch})`);
      }
      for (const cb of this.callbacks) await cb.onEpochEnd?.(log, this);
      if (this.stopTraining) this.history.stopped = true;
      const every = opts.checkpoint?.every ?? 1;
      if (opts.checkpoint && (this.epoch % every === 0 || this.epoch === epochs || this.stopTraining)) await this.saveCheckpoint(opts.checkpoint.path);
    }
    if (this.best && this.stopper?.restoreBest) this.restoreBest();
    for (const cb of this.callbacks) await cb.onTrainEnd?.(this.history, this);
    return this.history;
  }

  private async runEpoch(train: BatchSource, opts: FitOptions, bar: ProgressBar): Promise<EpochLog> {
    const epoch = this.epoch + 1;
    const t0 = Date.now();
    for (const cb of this.callbacks) await cb.onEpochBegin?.(epoch, this);
    const total = (train as { length?: unknown }).length;
    bar.startEpoch(epoch, typeof total === 'number' ? total : NaN);
    this.model.train();
    const sums = new Map<string, number>();
    let n = 0;
    let b = 0;
    for await (const batch of iterateBatches(train, epoch)) {
      const { x, y } = unpackBatch('Trainer.fit', batch, b);
      // (unpackBatch disposes a batch it rejects)
      try {
        const values = await this.trainStep(x, y, epoch, b);
        const size = x.shape[0] ?? 1;
        n += size;
        for (const [k, v] of Object.entries(values)) sums.set(k, (sums.get(k) ?? 0) + v * size);
        bar.update(b + 1, { loss: sums.get('loss')! / n });
      } finally {
        tf.dispose([x, y]);
      }
      b += 1;
    }
    if (n === 0) throw new FoveaError({ op: 'Trainer.fit', arg: 'train', expected: 'at least one batch per epoch', got: `no batches in epoch ${epoch}` });
    if (this.scheduler && this.opts.schedulerInterval === 'epoch') this.scheduler.step();
    const log = { epoch, loss: 0, lr: this.optimizer.paramGroups[0]!.lr, timeMs: 0 } as EpochLog;
    for (const [k, v] of sums) log[k] = v / n;
    if (opts.validation) Object.assign(log, prefixKeys(await this.evaluate(opts.validation), 'val_'));
    log.timeMs = Date.now() - t0;
    this.epoch = epoch;
    this.history.epochs.push(log);
    this.track(log);
    return log;
  }

  /** One optimizer step; returns the batch loss and metrics. */
  private async trainStep(x: tf.Tensor, y: tf.Tensor, epoch: number, batch: number): Promise<Record<string, number>> {
    const opt = this.optimizer;
    opt.zeroGrad();
    let pred: tf.Tensor | null = null;
    const loss = opt.backward(() => {
      pred = tf.keep(this.model.forward(x) as tf.Tensor);
      return this.opts.loss(pred, y);
    });
    const stats = tf.tidy(() => tf.stack([loss, ...this.metrics.map(([, f]) => f(pred!, y))]));
    tf.dispose([loss, pred!]);
    const values = Array.from(await stats.data());
    stats.dispose();
    const lr = opt.paramGroups[0]!.lr;
    if (!Number.isFinite(values[0]!)) {
      opt.zeroGrad();
      throw new FoveaError({ op: 'Trainer.fit', arg: 'loss', expected: 'a finite value', got: `${values[0]} at epoch ${epoch}, step ${this.globalStep + 1} (batch ${batch} of the epoch); the weights were not updated` });
    }
    if (this.opts.clipGradNorm !== undefined) opt.clipGradNorm(this.opts.clipGradNorm).dispose();
    if (this.opts.clipGradValue !== undefined) opt.clipGradValue(this.opts.clipGradValue);
    opt.step();
    opt.zeroGrad();
    this.globalStep += 1;
    if (this.scheduler && this.opts.schedulerInterval !== 'epoch') this.scheduler.step();
    this.history.stepLoss.push(values[0]!);
    this.history.stepLr.push(lr);
    const out: Record<string, number> = { loss: values[0]! };
    this.metrics.forEach(([k], i) => (out[k] = values[i + 1]!));
    for (const cb of this.callbacks) await cb.onBatchEnd?.({ epoch, batch, globalStep: this.globalStep, loss: values[0]!, lr }, this);
    return out;
  }

  /** Updates the early-stopping state and the best snapshot after an epoch. */
  private track(log: EpochLog): void {
    if (!this.stopper) return;
    if (this.stopper.update(log)) {
      this.history.bestEpoch = log.epoch;
      this.history.bestValue = this.stopper.best;
      this.disposeBest();
      this.best = this.model.stateDict();
    }
  }

  /**
   * The loss and metrics over `data`, each a mean weighted by batch size,
   * computed in eval mode without gradients. Values stay on the device until
   * the end (one read).
   */
  async evaluate(data: BatchSource): Promise<Record<string, number>> {
    const wasTraining = this.model.training;
    this.model.eval();
    let acc: tf.Tensor | null = null;
    let n = 0;
    let b = 0;
    try {
      for await (const batch of iterateBatches(data, this.epoch + 1)) {
        const { x, y } = unpackBatch('Trainer.evaluate', batch, b++);
        const size = x.shape[0] ?? 1;
        const next: tf.Tensor = tf.tidy(() => {
          const pred = this.model.forward(x) as tf.Tensor;
          const s = tf.mul(tf.stack([this.opts.loss(pred, y), ...this.metrics.map(([, f]) => f(pred, y))]), size);
          return acc ? tf.add(acc, s) : s;
        });
        tf.dispose([x, y, acc!]);
        acc = next;
        n += size;
      }
    } finally {
      this.model.train(wasTraining);
    }
    if (!acc || n === 0) throw new FoveaError({ op: 'Trainer.evaluate', arg: 'data', expected: 'at least one batch', got: 'none' });
    const v = await (acc as tf.Tensor).data();
    (acc as tf.Tensor).dispose();
    const out: Record<string, number> = { loss: v[0]! / n };
    this.metrics.forEach(([k], i) => (out[k] = v[i + 1]! / n));
    return out;
  }

  /** The best epoch's weights (PyTorch state dict), kept while early stopping or validation monitors a value; `null` before. */
  get bestState(): StateDict | null {
    return this.best;
  }

  /** Loads the best epoch's weights into the model (a no-op without a best snapshot). */
  restoreBest(): void {
    if (this.best) this.model.loadStateDict(this.best);
  }

  private disposeBest(): void {
    if (this.best) Object.values(this.best).forEach((t) => t.dispose());
    this.best = null;
  }

  /** Writes model, optimizer, scheduler, RNG states, history and the best snapshot to one safetensors file (Node only). */
  async saveCheckpoint(path: string): Promise<void> {
    const tensors: Record<string, tf.Tensor> = {};
    if (this.best) for (const [k, t] of Object.entries(this.best)) tensors[`best.${k}`] = t;
    await saveTrainingCheckpoint(path, {
      model: this.model,
      optimizer: this.optimizer,
      scheduler: this.scheduler,
      generators: this.generators,
      epoch: this.epoch,
      globalStep: this.globalStep,
      tensors,
      extra: { history: this.history, stopper: this.stopper?.state() ?? null },
    });
  }

  /** Restores everything {@link Trainer.saveCheckpoint} wrote; `fit` then continues after the saved epoch. */
  async loadCheckpoint(path: string): Promise<void> {
    const { meta, tensors } = await loadTrainingCheckpoint(path, { model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, generators: this.generators });
    this.epoch = meta.epoch;
    this.globalStep = meta.globalStep;
    this.history = (meta.extra['history'] as History) ?? emptyHistory();
    const st = meta.extra['stopper'] as ReturnType<EarlyStopper['state']> | null;
    if (st && this.stopper) this.stopper.load(st);
    this.disposeBest();
    const best: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (k.startsWith('best.')) best[k.slice(5)] = t;
      else t.dispose();
    }
    this.best = Object.keys(best).length ? best : null;
  }

  /** Releases the best snapshot (not the model or optimizer). */
  dispose(): void {
    this.disposeBest();
  }
}

function prefixKeys(o: Record<string, number>, prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}
