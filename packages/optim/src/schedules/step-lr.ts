import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link StepLR}. @category Schedules */
export interface StepLROptions {
  /** Steps between decays (integer >= 1). */
  stepSize: number;
  /** Multiplicative decay; default 0.1. */
  gamma?: number;
}

/**
 * Decays the rate by `gamma` every `stepSize` steps (PyTorch's `StepLR`):
 * `lr(t) = base · gamma^⌊t / stepSize⌋`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, StepLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
 * sched.lrAt(4, 0.1); // 0.05
 * ```
 * @category Schedules
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: StepLROptions) {
    super(optimizer, 'StepLR');
    this.stepSize = checkNumber('StepLR', 'opts.stepSize', opts?.stepSize, { integer: true, min: 1 });
    this.gamma = checkNumber('StepLR', 'opts.gamma', opts.gamma ?? 0.1, { min: 0 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(t / this.stepSize);
  }
}
