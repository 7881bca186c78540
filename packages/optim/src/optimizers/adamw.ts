import type * as tf from '@tensorflow/tfjs-core';
import { Optimizer, registerClassOnce, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { adamUpdate, checkAdamGroup, type AdamOptions } from './adam.js';
import { splitArgs } from './_options.js';

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

/**
 * Adam with decoupled weight decay, exactly `torch.optim.AdamW` (PyTorch
 * 1.13): first `x ← x·(1 − lr·wd)`, then {@link Adam}'s step without the L2
 * term. Its `weightDecay` defaults to 0.01, as in PyTorch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { AdamW } from '@fovea/optim';
 * const x = new Parameter(tf.tensor1d([1, -2]));
 * const opt = new AdamW([x], { lr: 0.1, weightDecay: 0.5 });
 * opt.backward(() => tf.sum(tf.square(x))).dispose();
 * opt.step();
 * x.print(); // [0.85, -1.8]: x·(1 − 0.05) − 0.1·sign(g)
 * ```
 * @category Optimizers
 */
export class AdamW extends Optimizer<AdamOptions> {
  /** The tfjs serialization name. */
  static get className(): string {
    return 'FoveaAdamW';
  }

  /**
   * @param params parameters or parameter groups (omit for tfjs-layers).
   * @param options hyper-parameters; defaults `lr 1e-3`, `betas [0.9, 0.999]`, `eps 1e-8`, `weightDecay 1e-2`, `amsgrad false`.
   */
  constructor(params: ParamsInput<AdamOptions> | null, options?: Partial<AdamOptions>);
  constructor(options?: Partial<AdamOptions>);
  constructor(a?: ParamsInput<AdamOptions> | Partial<AdamOptions> | null, b?: Partial<AdamOptions>) {
    const { params, opts } = splitArgs<AdamOptions, Partial<AdamOptions>>(a, b);
    super(params, { ...DEFAULTS, ...opts }, 'AdamW');
    registerClassOnce(AdamW);
  }

  protected checkGroup(g: AdamOptions, where: string): void {
    checkAdamGroup('AdamW', g, where);
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<AdamOptions>, st: ParamState): void {
    adamUpdate((n, i) => this.buffer(st, n, i), p, g, group, st, true);
  }
}
