import { FoveaError, checkNumber } from '@fovea/core';

/**
 * What a scheduler needs from an optimizer: parameter groups with an `lr`
 * it may set (every Fovea {@link Optimizer} qualifies). Schedulers record
 * each group's starting rate as `initialLr`, as PyTorch's `initial_lr`.
 *
 * @category Schedules
 */
export interface SchedulableOptimizer {
  paramGroups: { lr: number; initialLr?: number }[];
}

/** A scheduler's saved state (plain JSON): see {@link LRScheduler.stateDict}. @category Schedules */
export interface SchedulerState {
  /** Steps taken (`last_epoch`). */
  lastEpoch: number;
  /** Each group's base learning rate. */
  baseLrs: number[];
}

/**
 * The base class of learning-rate schedules, shaped like PyTorch's
 * `torch.optim.lr_scheduler.LRScheduler`: construct it on an optimizer (it
 * sets the rate for step 0), call `optimizer.step()` then `scheduler.step()`
 * after each batch (or epoch), and every group's `lr` follows the schedule.
 * Subclasses give the closed form {@link LRScheduler.lrAt}, so a schedule
 * can also be evaluated without an optimizer, and resuming from
 * {@link LRScheduler.stateDict} is exact.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { LRScheduler, SGD } from '@fovea/optim';
 * class HalvingLR extends LRScheduler {              // a custom schedule: halve every step
 *   constructor(opt: SGD) { super(opt, 'HalvingLR'); this.init(); }
 *   lrAt(t: number, baseLr: number) { return baseLr / 2 ** t; }
 * }
 * const opt = new SGD([new Parameter(tf.zeros([1]))], { lr: 0.8 });
 * const sched = new HalvingLR(opt);
 * opt.step(); sched.step();
 * sched.getLastLr(); // [0.4]
 * ```
 * @category Schedules
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this sets. */
  readonly optimizer: SchedulableOptimizer;
  /** Number of `step()` calls so far (PyTorch's `last_epoch`); the rate in use is `lrAt(lastEpoch)`. */
  lastEpoch = 0;
  /** Each group's base learning rate (its `initialLr`). */
  protected baseLrs: number[];
  private lastLr: number[] = [];

  protected constructor(optimizer: SchedulableOptimizer, protected readonly opName: string) {
    if (!optimizer || !Array.isArray((optimizer as SchedulableOptimizer).paramGroups) || optimizer.paramGroups.length === 0) {
      throw new FoveaError({ op: opName, arg: 'optimizer', expected: 'an optimizer with parameter groups', got: optimizer === null ? 'null' : typeof optimizer });
    }
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
  }

  /** Subclasses call this at the end of their constructor: sets the step-0 rate. */
  protected init(): void {
    this.apply();
  }

  /**
   * The learning rate at step `t` (`t = 0` before the first `step()`), for
   * a group whose base rate is `baseLr`.
   */
  abstract lrAt(t: number, baseLr: number, groupIndex?: number): number;

  /** Advances the schedule by one step and sets every group's `lr`. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** Sets every group's lr for `lastEpoch`. */
  protected apply(): void {
    this.lastLr = this.optimizer.paramGroups.map((g, i) => {
      g.lr = this.lrAt(this.lastEpoch, this.baseLrs[i]!, i);
      return g.lr;
    });
  }

  /** The rates set by the last `step()` (or the constructor), one per group (PyTorch's `get_last_lr`). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The schedule's state (plain JSON) for checkpoints. */
  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /** Restores a state from {@link LRScheduler.stateDict} and sets the groups' rates accordingly. */
  loadStateDict(state: SchedulerState): void {
    const op = `${this.opName}.loadStateDict`;
    checkNumber(op, 'state.lastEpoch', state?.lastEpoch, { integer: true, min: 0 });
    if (!Array.isArray(state.baseLrs) || state.baseLrs.length !== this.baseLrs.length) {
      throw new FoveaError({ op, arg: 'state.baseLrs', expected: `${this.baseLrs.length} rates`, got: String(state.baseLrs) });
    }
    state.baseLrs.forEach((v, i) => checkNumber(op, `state.baseLrs[${i}]`, v, { min: 0 }));
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.apply();
  }
}
