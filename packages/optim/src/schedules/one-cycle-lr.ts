import { FoveaError, checkNumber, checkOneOf } from '@fovea/core';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** Options for {@link OneCycleLR}. @category Schedules */
export interface OneCycleLROptions {
  /** Peak learning rate (one for all groups, or one per group). */
  maxLr: number | number[];
  /** Steps of the whole cycle (integer >= 2); stepping past it is an error, as in PyTorch. */
  totalSteps: number;
  /** Fraction of the cycle spent increasing the rate; default 0.3. */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Starting rate is `maxLr / divFactor`; default 25. */
  divFactor?: number;
  /** Final rate is `maxLr / divFactor / finalDivFactor`; default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, back down to the start rate, then to the final rate) as fast.ai; default false. */
  threePhase?: boolean;
  /** Cycle momentum (SGD `momentum` or Adam `betas[0]`) inversely to the rate; default true, as PyTorch. */
  cycleMomentum?: boolean;
  /** Lowest momentum; default 0.85. */
  baseMomentum?: number;
  /** Highest momentum; default 0.95. */
  maxMomentum?: number;
}

interface Phase {
  end: number;
  lr: ['init' | 'max' | 'low', 'init' | 'max' | 'low'];
  mom: ['max' | 'base', 'max' | 'base'];
}

/**
 * The one-cycle policy (PyTorch's `OneCycleLR`): the rate rises from
 * `maxLr/divFactor` to `maxLr` over the first `pctStart·totalSteps − 1`
 * steps, then anneals to `maxLr/(divFactor·finalDivFactor)` at step
 * `totalSteps − 1`, with cosine (`end + (start − end)(1 + cos(π·pct))/2`)
 * or linear interpolation. The optimizer's own `lr` is ignored. With
 * `cycleMomentum` the momentum moves the opposite way.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD, OneCycleLR } from '@fovea/optim';
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 20 });
 * opt.paramGroups[0].lr; // 0.04 (= 1 / 25)
 * ```
 * @category Schedules
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: 'cos' | 'linear';
  private readonly maxLrs: number[];
  private readonly divFactor: number;
  private readonly finalDivFactor: number;
  private readonly momentum: { base: number; max: number; key: 'betas' | 'momentum' } | null;

  constructor(optimizer: SchedulableOptimizer, opts: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const op = 'OneCycleLR';
    const n = optimizer.paramGroups.length;
    const maxLr = opts?.maxLr;
    if (Array.isArray(maxLr) && maxLr.length !== n) throw new FoveaError({ op, arg: 'opts.maxLr', expected: `one number or ${n} (one per group)`, got: `${maxLr.length} numbers` });
    this.maxLrs = Array.isArray(maxLr) ? maxLr.map((v, i) => checkNumber(op, `opts.maxLr[${i}]`, v, { min: 0 })) : Array(n).fill(checkNumber(op, 'opts.maxLr', maxLr, { min: 0 }));
    this.totalSteps = checkNumber(op, 'opts.totalSteps', opts.totalSteps, { integer: true, min: 2 });
    const pct = checkNumber(op, 'opts.pctStart', opts.pctStart ?? 0.3, { gt: 0, lt: 1 });
    this.anneal = checkOneOf(op, 'opts.annealStrategy', opts.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    this.divFactor = checkNumber(op, 'opts.divFactor', opts.divFactor ?? 25, { gt: 0 });
    this.finalDivFactor = checkNumber(op, 'opts.finalDivFactor', opts.finalDivFactor ?? 1e4, { gt: 0 });
    const e1 = pct * this.totalSteps - 1;
    this.phases = opts.threePhase
      ? [
          { end: e1, lr: ['init', 'max'], mom: ['max', 'base'] },
          { end: 2 * pct * this.totalSteps - 2, lr: ['max', 'init'], mom: ['base', 'max'] },
          { end: this.totalSteps - 1, lr: ['init', 'low'], mom: ['max', 'max'] },
        ]
      : [
          { end: e1, lr: ['init', 'max'], mom: ['max', 'base'] },
          { end: this.totalSteps - 1, lr: ['max', 'low'], mom: ['base', 'max'] },
        ];
    this.momentum = this.momentumSetup(optimizer, opts);
    // PyTorch sets initial_lr = max_lr / div_factor, whatever the optimizer's lr
    this.baseLrs = this.maxLrs.map((m) => m / this.divFactor);
    optimizer.paramGroups.forEach((g, i) => (g.initialLr = this.baseLrs[i]!));
    this.init();
  }

  private momentumSetup(optimizer: SchedulableOptimizer, opts: OneCycleLROptions): OneCycleLR['momentum'] {
    if (opts.cycleMomentum === false) return null;
    const g0 = optimizer.paramGroups[0] as unknown as Record<string, unknown>;
    const key = Array.isArray(g0['betas']) ? 'betas' : typeof g0['momentum'] === 'number' ? 'momentum' : null;
    if (!key) throw new FoveaError({ op: 'OneCycleLR', arg: 'opts.cycleMomentum', expected: 'false for an optimizer without momentum or betas', got: 'true' });
    const base = checkNumber('OneCycleLR', 'opts.baseMomentum', opts.baseMomentum ?? 0.85, { min: 0, max: 1 });
    const max = checkNumber('OneCycleLR', 'opts.maxMomentum', opts.maxMomentum ?? 0.95, { min: 0, max: 1 });
    return { base, max, key };
  }

  private interp(start: number, end: number, pct: number): number {
    return this.anneal === 'cos' ? end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct)) : start + (end - start) * pct;
  }

  private locate(t: number): { phase: Phase; pct: number } {
    if (t > this.totalSteps) {
      throw new FoveaError({ op: 'OneCycleLR.step', arg: 'step', expected: `at most totalSteps = ${this.totalSteps} (the cycle is over)`, got: String(t) });
    }
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const ph = this.phases[i]!;
      if (t <= ph.end || i === this.phases.length - 1) {
        const span = ph.end - start;
        return { phase: ph, pct: span > 0 ? (t - start) / span : 1 };
      }
      start = ph.end;
    }
    throw new Error('unreachable');
  }

  lrAt(t: number, _baseLr: number, groupIndex = 0): number {
    const max = this.maxLrs[groupIndex]!;
    const init = max / this.divFactor;
    const v = { init, max, low: init / this.finalDivFactor };
    const { phase, pct } = this.locate(t);
    return this.interp(v[phase.lr[0]], v[phase.lr[1]], pct);
  }

  protected override apply(): void {
    super.apply();
    if (!this.momentum) return;
    const { phase, pct } = this.locate(this.lastEpoch);
    const v = { base: this.momentum.base, max: this.momentum.max };
    const m = this.interp(v[phase.mom[0]], v[phase.mom[1]], pct);
    for (const group of this.optimizer.paramGroups) {
      const g = group as unknown as Record<string, unknown>;
      if (this.momentum.key === 'betas') g['betas'] = [m, (g['betas'] as number[])[1]];
      else g['momentum'] = m;
    }
  }
}
