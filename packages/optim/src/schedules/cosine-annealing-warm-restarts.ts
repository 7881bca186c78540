import { checkNumber } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link CosineAnnealingWarmRestarts}. @category Schedules */
export interface CosineAnnealingWarmRestartsOptions {
  /** Steps of the first cycle (integer >= 1). */
  t0: number;
  /** Each cycle is `tMult` times longer than the previous (integer >= 1); default 1. */
  tMult?: number;
  /** The lowest rate; default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts, SGDR (PyTorch's
 * `CosineAnnealingWarmRestarts`): cycles of length `T_i = t0·tMult^i`; within
 * a cycle at position `T_cur`, `lr = etaMin + (base − etaMin)(1 + cos(π·T_cur/T_i))/2`.
 * {@link CosineAnnealingWarmRestarts.cycleEnds} gives the restart steps
 * (where snapshot ensembles take their snapshots).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, CosineAnnealingWarmRestarts } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 4 });
 * [0, 2, 4].map((t) => sched.lrAt(t, 0.1)); // [0.1, 0.05, 0.1]
 * ```
 * @category Schedules
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingWarmRestartsOptions) {
    super(optimizer, 'CosineAnnealingWarmRestarts');
    this.t0 = checkNumber('CosineAnnealingWarmRestarts', 'opts.t0', opts?.t0, { integer: true, min: 1 });
    this.tMult = checkNumber('CosineAnnealingWarmRestarts', 'opts.tMult', opts.tMult ?? 1, { integer: true, min: 1 });
    this.etaMin = checkNumber('CosineAnnealingWarmRestarts', 'opts.etaMin', opts.etaMin ?? 0, { min: 0 });
    this.init();
  }

  /** Position in the current cycle and the cycle's length at step `t`. */
  cyclePosition(t: number): { tCur: number; tI: number } {
    let tCur = t;
    let tI = this.t0;
    while (tCur >= tI) {
      tCur -= tI;
      tI *= this.tMult;
    }
    return { tCur, tI };
  }

  /** Whether step `t` is the last step of a cycle (the next step restarts at the base rate). */
  cycleEnds(t: number): boolean {
    const { tCur, tI } = this.cyclePosition(t);
    return tCur === tI - 1;
  }

  lrAt(t: number, baseLr: number): number {
    const { tCur, tI } = this.cyclePosition(t);
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  }
}
