import { FoveaError, checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/**
 * Runs schedules one after another (PyTorch's `SequentialLR`): before
 * `milestones[0]` the first, then the second restarted at its own step 0,
 * and so on — e.g. a linear warmup then cosine annealing (see
 * {@link withWarmup}). The schedules must be built on the same optimizer.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, LinearLR, CosineAnnealingLR, SequentialLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cos = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, [warm, cos], [5]);
 * opt.paramGroups[0].lr; // 0.01, rising to 0.1 at step 5, then annealed
 * ```
 * @category Schedules
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: SchedulableOptimizer, schedulers: LRScheduler[], milestones: number[]) {
    super(optimizer, 'SequentialLR');
    const op = 'SequentialLR';
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new FoveaError({ op, arg: 'schedulers', expected: 'a non-empty array of schedulers', got: Array.isArray(schedulers) ? `${schedulers.length} items` : typeof schedulers });
    }
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new FoveaError({ op, arg: `schedulers[${i}]`, expected: 'a scheduler of the same optimizer', got: 'one of another optimizer' });
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new FoveaError({ op, arg: 'milestones', expected: `${schedulers.length - 1} milestones (one fewer than schedulers)`, got: Array.isArray(milestones) ? `${milestones.length}` : typeof milestones });
    }
    milestones.forEach((m, i) => {
      checkNumber(op, `milestones[${i}]`, m, { integer: true, min: i === 0 ? 1 : milestones[i - 1]! + 1 });
    });
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.init();
  }

  lrAt(t: number, baseLr: number, groupIndex = 0): number {
    let i = 0;
    while (i < this.milestones.length && this.milestones[i]! <= t) i++;
    const start = i === 0 ? 0 : this.milestones[i - 1]!;
    return this.schedulers[i]!.lrAt(t - start, baseLr, groupIndex);
  }
}
