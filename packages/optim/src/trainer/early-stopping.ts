import { FoveaError, checkNumber, checkOneOf } from '@fovea/core';
import type { EarlyStoppingOptions, EpochLog } from './types.js';

/** Tracks the monitored value: best so far, epochs without improvement, whether to stop. @internal */
export class EarlyStopper {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  /** Whether early stopping is on (validation alone only tracks the best). */
  readonly active: boolean;
  best: number | null = null;
  wait = 0;
  stop = false;

  constructor(opts: EarlyStoppingOptions | boolean | undefined, hasValidation: boolean) {
    const o = typeof opts === 'object' && opts !== null ? opts : {};
    this.active = !!opts;
    this.monitor = o.monitor ?? (hasValidation ? 'val_loss' : 'loss');
    this.mode = checkOneOf('Trainer.fit', 'opts.earlyStopping.mode', o.mode ?? (/acc/.test(this.monitor) ? 'max' : 'min'), ['min', 'max'] as const);
    this.patience = checkNumber('Trainer.fit', 'opts.earlyStopping.patience', o.patience ?? 5, { integer: true, min: 0 });
    this.minDelta = checkNumber('Trainer.fit', 'opts.earlyStopping.minDelta', o.minDelta ?? 0, { min: 0 });
    this.restoreBest = this.active && (o.restoreBest ?? true);
  }

  /** Records an epoch; returns whether it is the best so far. */
  update(log: EpochLog): boolean {
    const v = log[this.monitor];
    if (typeof v !== 'number') {
      throw new FoveaError({ op: 'Trainer.fit', arg: 'opts.earlyStopping.monitor', expected: `one of the epoch log's keys (${Object.keys(log).join(', ')})`, got: `'${this.monitor}'` });
    }
    const better = this.best === null || (this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta);
    if (better) {
      this.best = v;
      this.wait = 0;
    } else {
      this.wait += 1;
      if (this.active && this.wait >= this.patience) this.stop = true;
    }
    return better;
  }

  state(): { best: number | null; wait: number } {
    return { best: this.best, wait: this.wait };
  }

  load(s: { best: number | null; wait: number }): void {
    this.best = s.best;
    this.wait = s.wait;
  }
}
