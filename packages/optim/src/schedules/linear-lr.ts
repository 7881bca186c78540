import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link LinearLR}. @category Schedules */
export interface LinearLROptions {
  /** Factor of the base rate at step 0, in (0, 1]; default 1/3. */
  startFactor?: number;
  /** Factor reached at `totalIters` and kept after, in [0, 1]; default 1. */
  endFactor?: number;
  /** Steps of the ramp (integer >= 1); default 5. */
  totalIters?: number;
}

/**
 * A linear ramp of the rate's factor (PyTorch's `LinearLR`), the usual
 * warmup: `lr(t) = base · (start + (end − start)·min(t, totalIters)/totalIters)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, LinearLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const warm = new LinearLR(opt, { startFactor: 0.25, totalIters: 5 });
 * opt.paramGroups[0].lr; // 0.025
 * ```
 * @category Schedules
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts: LinearLROptions = {}) {
    super(optimizer, 'LinearLR');
    this.startFactor = checkNumber('LinearLR', 'opts.startFactor', opts.startFactor ?? 1 / 3, { gt: 0, max: 1 });
    this.endFactor = checkNumber('LinearLR', 'opts.endFactor', opts.endFactor ?? 1, { min: 0, max: 1 });
    this.totalIters = checkNumber('LinearLR', 'opts.totalIters', opts.totalIters ?? 5, { integer: true, min: 1 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(t, this.totalIters)) / this.totalIters);
  }
}
