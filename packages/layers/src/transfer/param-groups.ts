import { FoveaError, type Module, type Parameter } from '@fovea/core';
import { underAny } from './_match.js';

/** Options for {@link fineTuneParamGroups}. @category Transfer learning */
export interface FineTuneGroupsOptions {
  /** Name prefixes of the new head (e.g. `['fc']`). */
  head: readonly string[];
  /** Learning rate of the head; default: the optimizer's. */
  headLr?: number;
  /** Learning rate of the pretrained backbone (typically 10× smaller); default: the optimizer's. */
  backboneLr?: number;
  /** Weight decay of both groups; default: the optimizer's. */
  weightDecay?: number;
}

/** A parameter group, PyTorch's `{'params': ..., 'lr': ...}` (what @fovea/optim's optimizers take). @category Transfer learning */
export interface ParamGroupSpec {
  /** The group's parameters. */
  params: Parameter[];
  /** Its learning rate (omitted: the optimizer's). */
  lr?: number;
  /** Its weight decay (omitted: the optimizer's). */
  weightDecay?: number;
}

/**
 * Splits a model's trainable parameters into a backbone group and a head
 * group with their own learning rates, for discriminative fine-tuning (a
 * pretrained backbone trained more gently than a new head). Pass the result to
 * any @fovea/optim optimizer. Frozen parameters are left out.
 *
 * @param model the network.
 * @param opts head prefixes, headLr, backboneLr, weightDecay.
 * @returns `[backbone, head]` groups (a group with no trainable parameters is omitted).
 * @example
 * ```ts
 * import { fineTuneParamGroups, resnet18 } from '@fovea/layers';
 * const net = resnet18({ numClasses: 10 });
 * const groups = fineTuneParamGroups(net, { head: ['fc'], backboneLr: 1e-4, headLr: 1e-3 });
 * groups.map((g) => g.params.length); // [60, 2]
 * // new SGD(groups, { lr: 1e-3, momentum: 0.9 }) with @fovea/optim
 * ```
 * @category Transfer learning
 */
export function fineTuneParamGroups(model: Module, opts: FineTuneGroupsOptions): ParamGroupSpec[] {
  const op = 'fineTuneParamGroups';
  if (!opts || !Array.isArray(opts.head) || opts.head.length === 0) {
    throw new FoveaError({ op, arg: 'options.head', expected: 'a non-empty array of head name prefixes', got: String(opts?.head) });
  }
  const named = model.namedParameters().filter(([, p]) => p.requiresGrad);
  const head = named.filter(([n]) => underAny(n, opts.head)).map(([, p]) => p);
  const backbone = named.filter(([n]) => !underAny(n, opts.head)).map(([, p]) => p);
  if (!model.namedParameters().some(([n]) => underAny(n, opts.head))) {
    throw new FoveaError({ op, arg: 'options.head', expected: 'prefixes naming parameters of the model', got: JSON.stringify(opts.head) });
  }
  const extra = (lr: number | undefined): Partial<ParamGroupSpec> => ({
    ...(lr !== undefined ? { lr } : {}),
    ...(opts.weightDecay !== undefined ? { weightDecay: opts.weightDecay } : {}),
  });
  const groups: ParamGroupSpec[] = [];
  if (backbone.length) groups.push({ params: backbone, ...extra(opts.backboneLr) });
  if (head.length) groups.push({ params: head, ...extra(opts.headLr) });
  return groups;
}
