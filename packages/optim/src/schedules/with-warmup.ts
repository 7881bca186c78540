import { checkNumber } from '@fovea/core';
import { LinearLR } from './linear-lr.js';
import { SequentialLR } from './sequential-lr.js';
import type { LRScheduler } from './scheduler.js';

/** Options for {@link withWarmup}. @category Schedules */
export interface WithWarmupOptions {
  /** Warmup steps (integer >= 1). */
  warmupSteps: number;
  /** Factor of the base rate at step 0; default 0.01. */
  startFactor?: number;
}

/**
 * A linear warmup followed by another schedule, which starts at its own
 * step 0 when the warmup ends: `SequentialLR([LinearLR(start → 1), after], [warmupSteps])`.
 *
 * @param after the schedule after the warmup (built on the same optimizer).
 * @returns the composed scheduler; call its `step()` only.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { AdamW, CosineAnnealingLR, withWarmup } from '@fovea/optim';
 * const opt = new AdamW([new Parameter(tf.zeros([1]))], { lr: 3e-4 });
 * const sched = withWarmup(new CosineAnnealingLR(opt, { tMax: 900 }), { warmupSteps: 100 });
 * sched.lrAt(100, 3e-4); // 3e-4, the peak
 * ```
 * @category Schedules
 */
export function withWarmup(after: LRScheduler, opts: WithWarmupOptions): SequentialLR {
  const w = checkNumber('withWarmup', 'opts.warmupSteps', opts?.warmupSteps, { integer: true, min: 1 });
  const warm = new LinearLR(after.optimizer, { startFactor: opts.startFactor ?? 0.01, endFactor: 1, totalIters: w });
  return new SequentialLR(after.optimizer, [warm, after], [w]);
}
