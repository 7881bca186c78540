import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError, loadSafetensors, saveSafetensors } from '@fovea/core';
import type { Optimizer, OptimizerStateDict } from './optimizer.js';

/** An optimizer state as flat tensors plus one JSON string: what safetensors can hold. @category Optimizers */
export interface FlatOptimizerState {
  /** `<prefix>state.<i>.<name>` → tensor (the same tensors as the state dict's). */
  tensors: Record<string, tf.Tensor>;
  /** Everything else (class, groups, steps, iterations) as JSON, for safetensors metadata. */
  json: string;
}

/**
 * Flattens {@link Optimizer.stateDict} into tensors named
 * `<prefix>state.<i>.<name>` and a JSON string, so it can be written with
 * core's `encodeSafetensors`/`saveSafetensors` (the JSON as metadata), next
 * to a model's state dict in one checkpoint.
 *
 * @param sd the state dict (its tensors are reused, not copied).
 * @param prefix a key prefix, e.g. `'optimizer.'`.
 * @example
 * ```ts
 * import { flattenOptimizerState } from '@fovea/optim';
 * const { tensors, json } = flattenOptimizerState(opt.stateDict(), 'optimizer.');
 * Object.keys(tensors); // ['optimizer.state.0.exp_avg', 'optimizer.state.0.exp_avg_sq', ...]
 * ```
 * @category Optimizers
 */
export function flattenOptimizerState(sd: OptimizerStateDict, prefix = ''): FlatOptimizerState {
  const tensors: Record<string, tf.Tensor> = {};
  const steps: Record<string, number> = {};
  const names: Record<string, string[]> = {};
  for (const [i, entry] of Object.entries(sd.state)) {
    steps[i] = entry.step;
    names[i] = Object.keys(entry.tensors);
    for (const [name, t] of Object.entries(entry.tensors)) tensors[`${prefix}state.${i}.${name}`] = t;
  }
  const json = JSON.stringify({ className: sd.className, paramGroups: sd.paramGroups, iterations: sd.iterations, steps, names });
  return { tensors, json };
}

/**
 * The inverse of {@link flattenOptimizerState}: rebuilds a state dict from
 * the tensors (extra keys without the prefix are ignored) and the JSON.
 *
 * @example
 * ```ts
 * import { unflattenOptimizerState } from '@fovea/optim';
 * opt.loadStateDict(unflattenOptimizerState(tensors, json, 'optimizer.'));
 * ```
 * @category Optimizers
 */
export function unflattenOptimizerState(tensors: Record<string, tf.Tensor>, json: string, prefix = ''): OptimizerStateDict {
  let meta: { className: string; paramGroups: OptimizerStateDict['paramGroups']; iterations: number; steps: Record<string, number>; names: Record<string, string[]> };
  try {
    meta = JSON.parse(json);
  } catch (e) {
    throw new FoveaError({ op: 'unflattenOptimizerState', arg: 'json', expected: 'the JSON from flattenOptimizerState', got: `unparseable text (${(e as Error).message})` });
  }
  const state: OptimizerStateDict['state'] = {};
  for (const [i, step] of Object.entries(meta.steps ?? {})) {
    const ts: Record<string, tf.Tensor> = {};
    for (const name of meta.names?.[i] ?? []) {
      const t = tensors[`${prefix}state.${i}.${name}`];
      if (!t) throw new FoveaError({ op: 'unflattenOptimizerState', arg: 'tensors', expected: `a tensor '${prefix}state.${i}.${name}'`, got: 'none' });
      ts[name] = t;
    }
    state[Number(i)] = { step, tensors: ts };
  }
  return { className: meta.className, paramGroups: meta.paramGroups, iterations: meta.iterations, state };
}

/**
 * Saves an optimizer's state as a safetensors file (Node only): tensors
 * `state.<i>.<name>`, everything else in the metadata key `optimizer`.
 *
 * @example
 * ```ts
 * import { saveOptimizer } from '@fovea/optim';
 * await saveOptimizer(opt, '/tmp/opt.safetensors');
 * ```
 * @category Optimizers
 */
export async function saveOptimizer(opt: Optimizer, path: string): Promise<void> {
  const sd = opt.stateDict();
  const { tensors, json } = flattenOptimizerState(sd);
  try {
    await saveSafetensors(path, tensors, { optimizer: json });
  } finally {
    for (const e of Object.values(sd.state)) for (const t of Object.values(e.tensors)) t.dispose();
  }
}

/**
 * Loads a state saved by {@link saveOptimizer} into an optimizer with the
 * same parameter groups (Node only).
 *
 * @example
 * ```ts
 * import { loadOptimizer } from '@fovea/optim';
 * await loadOptimizer(opt, '/tmp/opt.safetensors');
 * ```
 * @category Optimizers
 */
export async function loadOptimizer(opt: Optimizer, path: string): Promise<void> {
  const { tensors, metadata } = await loadSafetensors(path);
  try {
    if (metadata['optimizer'] === undefined) {
      throw new FoveaError({ op: 'loadOptimizer', arg: 'path', expected: 'a file written by saveOptimizer (metadata key "optimizer")', got: `'${path}' without it` });
    }
    opt.loadStateDict(unflattenOptimizerState(tensors, metadata['optimizer'], ''));
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}
