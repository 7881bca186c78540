import { FoveaError } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/**
 * Any schedule given as a factor of the base rate (PyTorch's `LambdaLR`):
 * `lr(t) = base · factor(t)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, LambdaLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new LambdaLR(opt, (t) => 1 / (1 + t));
 * sched.lrAt(1, 0.1); // 0.05
 * ```
 * @category Schedules
 */
export class LambdaLR extends LRScheduler {
  readonly factor: (t: number) => number;

  /** @param factor the factor at step `t` (a finite number >= 0). */
  constructor(optimizer: SchedulableOptimizer, factor: (t: number) => number) {
    super(optimizer, 'LambdaLR');
    if (typeof factor !== 'function') {
      throw new FoveaError({ op: 'LambdaLR', arg: 'factor', expected: 'a function of the step', got: typeof factor });
    }
    this.factor = factor;
    this.init();
  }

  lrAt(t: number, baseLr: number): number {
    const f = this.factor(t);
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) {
      throw new FoveaError({ op: 'LambdaLR', arg: `factor(${t})`, expected: 'a finite number >= 0', got: String(f) });
    }
    return baseLr * f;
  }
}
