import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError, loadSafetensors, saveSafetensors, type Generator, type GeneratorState, type Module, type StateDict } from '@fovea/core';
import type { Optimizer } from '../optimizers/optimizer.js';
import { flattenOptimizerState, unflattenOptimizerState } from '../optimizers/state-io.js';
import type { LRScheduler, SchedulerState } from '../schedules/scheduler.js';

/** Everything of a training run that is not a tensor, stored as JSON in the checkpoint's metadata. @category Trainer */
export interface CheckpointMeta {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed. */
  globalStep: number;
  /** The scheduler's state, if any. */
  scheduler: SchedulerState | null;
  /** The random generators' states, in the order given to the trainer. */
  generators: GeneratorState[];
  /** Anything else the writer wants back (the trainer stores its history and early-stopping state). */
  extra: Record<string, unknown>;
}

/** What {@link saveTrainingCheckpoint} writes. @category Trainer */
export interface CheckpointParts {
  model: Module;
  optimizer: Optimizer;
  scheduler?: LRScheduler | null;
  generators?: Generator[];
  epoch: number;
  globalStep: number;
  /** Extra tensors by key (e.g. the best snapshot as `best.<key>`); not disposed. */
  tensors?: Record<string, tf.Tensor>;
  extra?: Record<string, unknown>;
}

/**
 * Writes a training checkpoint as one safetensors file (Node only): the
 * model's state dict under `model.<key>` (PyTorch keys and layouts), the
 * optimizer state under `optimizer.state.<i>.<name>`, extra tensors as
 * given, and the rest (epoch, step, scheduler, RNG states, `extra`) as JSON
 * metadata. {@link loadTrainingCheckpoint} restores it.
 *
 * @example
 * ```ts
 * import { saveTrainingCheckpoint } from '@fovea/optim';
 * await saveTrainingCheckpoint('/tmp/run.safetensors', { model, optimizer, epoch: 3, globalStep: 750 });
 * ```
 * @category Trainer
 */
export async function saveTrainingCheckpoint(path: string, parts: CheckpointParts): Promise<void> {
  const sd = parts.model.stateDict();
  const osd = parts.optimizer.stateDict();
  const { tensors: optTensors, json } = flattenOptimizerState(osd, 'optimizer.');
  const tensors: Record<string, tf.Tensor> = { ...parts.tensors, ...optTensors };
  for (const [k, t] of Object.entries(sd)) tensors[`model.${k}`] = t;
  const meta: CheckpointMeta = {
    epoch: parts.epoch,
    globalStep: parts.globalStep,
    scheduler: parts.scheduler ? parts.scheduler.stateDict() : null,
    generators: (parts.generators ?? []).map((g) => g.getState()),
    extra: parts.extra ?? {},
  };
  try {
    await saveSafetensors(path, tensors, { format: 'pt', fovea_trainer: JSON.stringify(meta), fovea_optimizer: json });
  } finally {
    Object.values(sd).forEach((t) => t.dispose());
    for (const e of Object.values(osd.state)) Object.values(e.tensors).forEach((t) => t.dispose());
  }
}

/**
 * Restores a checkpoint written by {@link saveTrainingCheckpoint} into the
 * model, optimizer, scheduler and generators (all must be built as when it
 * was written), and returns its metadata and the extra tensors (which the
 * caller disposes).
 *
 * @example
 * ```ts
 * import { loadTrainingCheckpoint } from '@fovea/optim';
 * const { meta } = await loadTrainingCheckpoint('/tmp/run.safetensors', { model, optimizer });
 * meta.epoch; // 3
 * ```
 * @category Trainer
 */
export async function loadTrainingCheckpoint(
  path: string,
  parts: { model: Module; optimizer: Optimizer; scheduler?: LRScheduler | null; generators?: Generator[] },
): Promise<{ meta: CheckpointMeta; tensors: Record<string, tf.Tensor> }> {
  const { tensors, metadata } = await loadSafetensors(path);
  const extraTensors: Record<string, tf.Tensor> = {};
  try {
    if (metadata['fovea_trainer'] === undefined || metadata['fovea_optimizer'] === undefined) {
      throw new FoveaError({ op: 'loadTrainingCheckpoint', arg: 'path', expected: 'a checkpoint written by saveTrainingCheckpoint', got: `'${path}' without trainer metadata` });
    }
    const meta = JSON.parse(metadata['fovea_trainer']) as CheckpointMeta;
    const gens = parts.generators ?? [];
    if (meta.generators.length !== gens.length) {
      throw new FoveaError({ op: 'loadTrainingCheckpoint', arg: 'generators', expected: `${meta.generators.length} generators (as saved)`, got: String(gens.length) });
    }
    const model: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (k.startsWith('model.')) model[k.slice(6)] = t;
      else if (!k.startsWith('optimizer.')) extraTensors[k] = t;
    }
    parts.model.loadStateDict(model);
    parts.optimizer.loadStateDict(unflattenOptimizerState(tensors, metadata['fovea_optimizer'], 'optimizer.'));
    if (parts.scheduler && meta.scheduler) parts.scheduler.loadStateDict(meta.scheduler);
    gens.forEach((g, i) => g.setState(meta.generators[i]!));
    return { meta, tensors: extraTensors };
  } catch (e) {
    Object.values(extraTensors).forEach((t) => t.dispose());
    throw e;
  } finally {
    for (const [k, t] of Object.entries(tensors)) if (!(k in extraTensors)) t.dispose();
  }
}
