import { FoveaError } from '@fovea/core';
import { LRScheduler } from './scheduler.js';

/**
 * Applies several schedules at once (PyTorch's `ChainedScheduler`): the
 * rate is the base rate times the product of every schedule's factor
 * `lrAt(t)/base` — for multiplicative schedules (step, multistep,
 * exponential, linear warmup, lambda) exactly what PyTorch's chained
 * recursive updates give.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, LinearLR, ExponentialLR, ChainedScheduler } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 1 });
 * const sched = new ChainedScheduler([new LinearLR(opt, { startFactor: 0.5, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 * sched.step();
 * opt.paramGroups[0].lr; // 0.675 = 0.75 · 0.9
 * ```
 * @category Schedules
 */
export class ChainedScheduler extends LRScheduler {
  readonly schedulers: LRScheduler[];

  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new FoveaError({ op: 'ChainedScheduler', arg: 'schedulers', expected: 'a non-empty array of schedulers', got: Array.isArray(schedulers) ? `${schedulers.length} items` : typeof schedulers });
    }
    super(schedulers[0]!.optimizer, 'ChainedScheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== this.optimizer) throw new FoveaError({ op: 'ChainedScheduler', arg: `schedulers[${i}]`, expected: 'schedulers of one optimizer', got: 'one of another optimizer' });
    });
    this.schedulers = schedulers;
    this.init();
  }

  lrAt(t: number, baseLr: number, groupIndex = 0): number {
    if (baseLr === 0) return 0;
    return this.schedulers.reduce((lr, s) => lr * (s.lrAt(t, baseLr, groupIndex) / baseLr), baseLr);
  }
}
