import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link ExponentialLR}. @category Schedules */
export interface ExponentialLROptions {
  /** Multiplicative decay per step. */
  gamma: number;
}

/**
 * Decays the rate by `gamma` every step (PyTorch's `ExponentialLR`):
 * `lr(t) = base · gamma^t`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, ExponentialLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.5 });
 * const sched = new ExponentialLR(opt, { gamma: 0.9 });
 * sched.step();
 * opt.paramGroups[0].lr; // 0.45
 * ```
 * @category Schedules
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    this.gamma = checkNumber('ExponentialLR', 'opts.gamma', opts?.gamma, { min: 0 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * this.gamma ** t;
  }
}
