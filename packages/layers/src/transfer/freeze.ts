import { FoveaError, type Module } from '@fovea/core';
import { underAny } from './_match.js';

/** Options for {@link freeze}. @category Transfer learning */
export interface FreezeOptions {
  /** Module or parameter name prefixes to leave trainable (e.g. `['fc']` or `['layer4', 'fc']`); default none. */
  except?: readonly string[];
  /** Also put the frozen part's BatchNorm layers in eval mode, so their running statistics stay as pretrained; default `true`. */
  freezeBatchNorm?: boolean;
}

/**
 * Freezes a pretrained network for transfer learning: every parameter gets
 * `requiresGrad = false` (optimizers skip it, `tf.variableGrads` ignores it)
 * except those under the `except` prefixes. Frozen BatchNorm layers are put
 * in eval mode, and stay so through later `train()` calls on the model
 * (call {@link unfreeze} to release them).
 *
 * @param model the network.
 * @param opts except, freezeBatchNorm.
 * @returns the names of the parameters that were frozen.
 * @example
 * ```ts
 * import { freeze, resnet18 } from '@fovea/layers';
 * const net = resnet18({ numClasses: 10 });
 * freeze(net, { except: ['fc'] });
 * net.trainableParameters().length; // 2 (fc.weight, fc.bias)
 * ```
 * @category Transfer learning
 */
export function freeze(model: Module, opts: FreezeOptions = {}): string[] {
  const except = checkPrefixes('freeze', model, opts.except ?? []);
  const frozen: string[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (underAny(name, except)) continue;
    p.requiresGrad = false;
    frozen.push(name);
  }
  if (opts.freezeBatchNorm ?? true) {
    for (const [name, m] of model.namedModules()) {
      if (name !== '' && !underAny(name, except) && isBatchNorm(m)) pinEval(m);
    }
  }
  return frozen;
}

/**
 * Makes parameters trainable again (all, or those under `only`), and releases
 * BatchNorm layers pinned to eval mode by {@link freeze} there — the
 * "unfreeze the top layers and fine-tune" step.
 *
 * @param model the network.
 * @param opts `only`: prefixes to unfreeze (default: everything).
 * @returns the names of the parameters made trainable.
 * @example
 * ```ts
 * import { freeze, unfreeze, resnet18 } from '@fovea/layers';
 * const net = resnet18();
 * freeze(net, { except: ['fc'] });
 * unfreeze(net, { only: ['layer4'] }); // fine-tune the last stage too
 * ```
 * @category Transfer learning
 */
export function unfreeze(model: Module, opts: { only?: readonly string[] } = {}): string[] {
  const only = opts.only ? checkPrefixes('unfreeze', model, opts.only) : null;
  const names: string[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (only && !underAny(name, only)) continue;
    p.requiresGrad = true;
    names.push(name);
  }
  for (const [name, m] of model.namedModules()) {
    if (name !== '' && (!only || underAny(name, only)) && isBatchNorm(m)) unpin(m, model.training);
  }
  return names;
}

function checkPrefixes(op: string, model: Module, prefixes: readonly string[]): readonly string[] {
  if (!Array.isArray(prefixes)) throw new FoveaError({ op, arg: 'options', expected: 'an array of name prefixes', got: typeof prefixes });
  const names = [...model.namedModules()].map(([n]) => n).concat(model.namedParameters().map(([n]) => n));
  for (const p of prefixes) {
    if (!names.some((n) => n === p || n.startsWith(`${p}.`))) {
      throw new FoveaError({ op, arg: 'options', expected: 'prefixes naming modules or parameters of the model', got: `'${p}'` });
    }
  }
  return prefixes;
}

function isBatchNorm(m: Module): boolean {
  return 'runningMean' in m && 'numBatchesTracked' in m;
}

const PINNED = Symbol('fovea.pinnedEval');

/** Keeps `training` false whatever `train()` sets. */
function pinEval(m: Module): void {
  const obj = m as Module & { [PINNED]?: boolean };
  if (obj[PINNED]) return;
  obj[PINNED] = true;
  Object.defineProperty(m, 'training', { configurable: true, get: () => false, set: () => {} });
}

/** Releases a pinned module, in the model's current mode. */
function unpin(m: Module, mode: boolean): void {
  const obj = m as Module & { [PINNED]?: boolean };
  if (!obj[PINNED]) return;
  delete obj[PINNED];
  Object.defineProperty(m, 'training', { configurable: true, writable: true, enumerable: true, value: mode });
}
