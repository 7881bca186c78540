import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, type Module, type StateDict } from '@fovea/core';
import type { Callback, EpochLog, TrainerLike } from '../trainer/types.js';

/** Options for {@link ensemblePredict}. @category Recipes */
export interface EnsembleOptions {
  /** Average softmax probabilities (`'probs'`, default) or raw outputs (`'logits'`, e.g. for regression). */
  average?: 'probs' | 'logits';
}

/**
 * Model ensemble prediction: runs each model (in eval mode) on `x` and
 * averages their softmax probabilities over the last dimension (or their raw
 * outputs). Independently trained models typically add 1–2 % accuracy.
 *
 * @param models models with the same output shape.
 * @param x the input batch.
 * @returns `[N, K]` averaged probabilities (or outputs); the caller disposes it.
 * @example
 * ```ts
 * import { ensemblePredict } from '@fovea/optim';
 * const probs = ensemblePredict([netA, netB, netC], xTest); // [N, 10]
 * ```
 * @category Recipes
 */
export function ensemblePredict(models: Module[], x: tf.Tensor, opts: EnsembleOptions = {}): tf.Tensor {
  if (!Array.isArray(models) || models.length === 0) {
    throw new FoveaError({ op: 'ensemblePredict', arg: 'models', expected: 'a non-empty array of modules', got: Array.isArray(models) ? 'an empty array' : typeof models });
  }
  const average = checkOneOf('ensemblePredict', 'opts.average', opts.average ?? 'probs', ['probs', 'logits'] as const);
  return tf.tidy(() => {
    const outs = models.map((m) => {
      const was = m.training;
      m.eval();
      try {
        const y = m.forward(x) as tf.Tensor;
        return average === 'probs' ? tf.softmax(y) : y;
      } finally {
        m.train(was);
      }
    });
    const shape = outs[0]!.shape.join();
    outs.forEach((o, i) => {
      if (o.shape.join() !== shape) throw new FoveaError({ op: 'ensemblePredict', arg: `models[${i}]`, expected: `output shape [${shape}]`, got: `[${o.shape.join(', ')}]` });
    });
    return tf.div(tf.addN(outs), models.length);
  });
}

/** Options for {@link SnapshotEnsemble}. @category Recipes */
export interface SnapshotEnsembleOptions {
  /** Take a snapshot when this returns true for a finished epoch; default every epoch. Pair with `CosineAnnealingWarmRestarts`' `cycleEnds` for Huang et al.'s snapshot ensembles. */
  when?: (log: EpochLog) => boolean;
  /** Keep at most this many (the latest); default 5. */
  maxSnapshots?: number;
}

/**
 * Snapshot ensembles (Huang et al. 2017): one training run with a cyclic
 * (warm-restart) schedule, keeping the weights at the end of each cycle,
 * then averaging the snapshots' predictions — an ensemble for the price of
 * one training. Use it as a {@link Trainer} callback.
 *
 * @example
 * ```ts
 * import { SnapshotEnsemble, CosineAnnealingWarmRestarts, Trainer } from '@fovea/optim';
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 5 }); // stepped per epoch
 * const snaps = new SnapshotEnsemble({ when: (log) => sched.cycleEnds(log.epoch - 1) });
 * const trainer = new Trainer({ model, optimizer: opt, loss, scheduler: sched, schedulerInterval: 'epoch', callbacks: [snaps] });
 * await trainer.fit(loader, { epochs: 20 });
 * const probs = snaps.predict(model, xTest); // average of 4 snapshots, [N, K]
 * ```
 * @category Recipes
 */
export class SnapshotEnsemble implements Callback {
  /** The snapshots taken, oldest first: epoch and state dict (PyTorch layout). */
  readonly snapshots: { epoch: number; state: StateDict }[] = [];
  private readonly when: (log: EpochLog) => boolean;
  private readonly max: number;

  constructor(opts: SnapshotEnsembleOptions = {}) {
    this.when = opts.when ?? (() => true);
    this.max = opts.maxSnapshots ?? 5;
  }

  /** Trainer hook: snapshots the model when `when(log)` holds. */
  onEpochEnd(log: EpochLog, trainer: TrainerLike): void {
    if (!this.when(log)) return;
    this.snapshots.push({ epoch: log.epoch, state: trainer.model.stateDict() });
    while (this.snapshots.length > this.max) Object.values(this.snapshots.shift()!.state).forEach((t) => t.dispose());
  }

  /**
   * Averages the snapshots' predictions on `x` by loading each into `model`
   * in turn; the model's current weights are restored afterwards.
   *
   * @returns `[N, K]` averaged probabilities (or outputs); the caller disposes it.
   */
  predict(model: Module, x: tf.Tensor, opts: EnsembleOptions = {}): tf.Tensor {
    if (this.snapshots.length === 0) throw new FoveaError({ op: 'SnapshotEnsemble.predict', arg: 'snapshots', expected: 'at least one snapshot', got: 'none (did training run with this callback?)' });
    const average = checkOneOf('SnapshotEnsemble.predict', 'opts.average', opts.average ?? 'probs', ['probs', 'logits'] as const);
    const current = model.stateDict();
    const was = model.training;
    model.eval();
    try {
      let acc: tf.Tensor | null = null;
      for (const s of this.snapshots) {
        model.loadStateDict(s.state);
        const next: tf.Tensor = tf.tidy(() => {
          const y = model.forward(x) as tf.Tensor;
          const p = average === 'probs' ? tf.softmax(y) : y;
          return acc ? tf.add(acc, p) : tf.clone(p);
        });
        acc?.dispose();
        acc = next;
      }
      const out = tf.div(acc!, this.snapshots.length);
      acc!.dispose();
      return out;
    } finally {
      model.loadStateDict(current);
      model.train(was);
      Object.values(current).forEach((t) => t.dispose());
    }
  }

  /** Releases the snapshots. */
  dispose(): void {
    for (const s of this.snapshots.splice(0)) Object.values(s.state).forEach((t) => t.dispose());
  }
}
