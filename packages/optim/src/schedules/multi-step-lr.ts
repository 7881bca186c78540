import { FoveaError, checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link MultiStepLR}. @category Schedules */
export interface MultiStepLROptions {
  /** Steps at which the rate decays (integers >= 0; a repeated milestone decays twice, as in PyTorch). */
  milestones: number[];
  /** Multiplicative decay; default 0.1. */
  gamma?: number;
}

/**
 * Decays the rate by `gamma` at each milestone (PyTorch's `MultiStepLR`):
 * `lr(t) = base · gamma^(number of milestones ≤ t)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, MultiStepLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new MultiStepLR(opt, { milestones: [30, 80] });
 * sched.lrAt(50, 0.1); // 0.01
 * ```
 * @category Schedules
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    if (!Array.isArray(opts?.milestones)) {
      throw new FoveaError({ op: 'MultiStepLR', arg: 'opts.milestones', expected: 'an array of step numbers', got: typeof opts?.milestones });
    }
    this.milestones = opts.milestones.map((m, i) => checkNumber('MultiStepLR', `opts.milestones[${i}]`, m, { integer: true, min: 0 }));
    this.gamma = checkNumber('MultiStepLR', 'opts.gamma', opts.gamma ?? 0.1, { min: 0 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * this.gamma ** this.milestones.filter((m) => m <= t).length;
  }
}
