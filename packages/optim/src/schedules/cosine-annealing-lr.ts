import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link CosineAnnealingLR}. @category Schedules */
export interface CosineAnnealingLROptions {
  /** Steps of the half cosine (integer >= 1). */
  tMax: number;
  /** The lowest rate; default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing (PyTorch's `CosineAnnealingLR`):
 * `lr(t) = etaMin + (base − etaMin)·(1 + cos(π·t / tMax)) / 2`. Past `tMax`
 * the cosine continues and the rate rises again, as PyTorch's recursive form
 * does; for restarts use {@link CosineAnnealingWarmRestarts}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { Adam, CosineAnnealingLR } from '@fovea/optim';
 * const opt = new Adam([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 10 });
 * sched.lrAt(5, 0.1); // 0.05
 * ```
 * @category Schedules
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    this.tMax = checkNumber('CosineAnnealingLR', 'opts.tMax', opts?.tMax, { integer: true, min: 1 });
    this.etaMin = checkNumber('CosineAnnealingLR', 'opts.etaMin', opts.etaMin ?? 0, { min: 0 });
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}
