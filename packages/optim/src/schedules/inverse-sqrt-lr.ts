import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link InverseSqrtLR}. @category Schedules */
export interface InverseSqrtLROptions {
  /** Warmup steps W (integer >= 1). */
  warmupSteps: number;
}

/**
 * Linear warmup then inverse-square-root decay (the Transformer schedule,
 * no PyTorch class): `lr(t) = base · min((t + 1)/W, √(W/(t + 1)))`, peaking
 * at `base` on step `W − 1`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { Adam, InverseSqrtLR } from '@fovea/optim';
 * const opt = new Adam([new Parameter(tf.zeros([1]))], { lr: 0.01 });
 * const sched = new InverseSqrtLR(opt, { warmupSteps: 4 });
 * [0, 3, 15].map((t) => sched.lrAt(t, 0.01)); // [0.0025, 0.01, 0.005]
 * ```
 * @category Schedules
 */
export class InverseSqrtLR extends LRScheduler {
  readonly warmupSteps: number;

  constructor(optimizer: SchedulableOptimizer, opts: InverseSqrtLROptions) {
    super(optimizer, 'InverseSqrtLR');
    this.warmupSteps = checkNumber('InverseSqrtLR', 'opts.warmupSteps', opts?.warmupSteps, { integer: true, min: 1 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    const w = this.warmupSteps;
    return baseLr * Math.min((t + 1) / w, Math.sqrt(w / (t + 1)));
  }
}
