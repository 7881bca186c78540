import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Parameter } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import {
  Adam,
  ChainedScheduler,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  InverseSqrtLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  SequentialLR,
  SGD,
  StepLR,
  withWarmup,
  type LRScheduler,
  type Optimizer,
} from '../index.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8'));

function withOptimizer<T>(kind: 'sgd' | 'adam', lr: number, fn: (opt: Optimizer, p: Parameter) => T): T {
  const init = tf.zeros([1]);
  const p = new Parameter(init);
  init.dispose();
  const opt = kind === 'sgd' ? new SGD([p], { lr, momentum: 0.9 }) : new Adam([p], { lr });
  try {
    return fn(opt, p);
  } finally {
    opt.dispose();
    p.dispose();
  }
}

/** The lr (and momentum) before each step, stepping the scheduler after each optimizer step, as PyTorch. */
function record(opt: Optimizer, sched: LRScheduler, steps: number): { lrs: number[]; momentum: number[] } {
  const lrs: number[] = [];
  const momentum: number[] = [];
  for (let t = 0; t < steps; t++) {
    const g = opt.paramGroups[0] as unknown as Record<string, unknown>;
    lrs.push(g['lr'] as number);
    momentum.push(Array.isArray(g['betas']) ? (g['betas'] as number[])[0]! : (g['momentum'] as number));
    opt.step();
    sched.step();
  }
  return { lrs, momentum };
}

const BUILD: Record<string, [kind: 'sgd' | 'adam', lr: number, make: (o: Optimizer) => LRScheduler]> = {
  warmup_cosine: ['sgd', 0.1, (o) => new SequentialLR(o, [new LinearLR(o, { startFactor: 0.1, endFactor: 1, totalIters: 4 }), new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001 })], [4])],
  chained_linear_exp: ['sgd', 0.1, (o) => new ChainedScheduler([new LinearLR(o, { startFactor: 0.5, endFactor: 1, totalIters: 3 }), new ExponentialLR(o, { gamma: 0.9 })])],
  onecycle_three_phase_sgd: ['sgd', 0.1, (o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 20, threePhase: true, annealStrategy: 'linear' })],
  onecycle_adam: ['adam', 0.1, (o) => new OneCycleLR(o, { maxLr: 0.01, totalSteps: 15, pctStart: 0.4 })],
  warm_restarts_tmult2: ['sgd', 0.1, (o) => new CosineAnnealingWarmRestarts(o, { t0: 2, tMult: 2, etaMin: 0.01 })],
  sequential_three: ['sgd', 0.1, (o) => new SequentialLR(o, [new LinearLR(o, { startFactor: 0.2, totalIters: 2 }), new StepLR(o, { stepSize: 2, gamma: 0.5 }), new ExponentialLR(o, { gamma: 0.8 })], [3, 8])],
};

describe('schedules match torch.optim.lr_scheduler', () => {
  for (const s of fx.schedules) {
    it(s.name, () => {
      const [kind, lr, make] = BUILD[s.name]!;
      withOptimizer(kind, lr, (opt) => {
        const got = record(opt, make(opt), s.lrs.length);
        expectClose(got.lrs, s.lrs, { atol: 1e-9, rtol: 1e-9 });
        expectClose(got.momentum, s.momentum, { atol: 1e-9, rtol: 1e-9 });
      });
    });
  }
});

describe('closed forms', () => {
  it('give the documented values', () =>
    withOptimizer('sgd', 0.1, (o) => {
      expect(new StepLR(o, { stepSize: 3, gamma: 0.5 }).lrAt(7, 1)).toBeCloseTo(0.25, 12);
      expect(new MultiStepLR(o, { milestones: [2, 5, 5] }).lrAt(5, 1)).toBeCloseTo(0.001, 12);
      expect(new CosineAnnealingLR(o, { tMax: 10 }).lrAt(15, 1)).toBeCloseTo(0.5, 12); // continues past tMax
      const wr = new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 });
      expect([0, 3, 9].map((t) => wr.lrAt(t, 1))).toEqual([1, 1, 1]);
      expect([2, 8, 20].map((t) => wr.cycleEnds(t))).toEqual([true, true, true]);
      expect(wr.cycleEnds(3)).toBe(false);
      expect(new InverseSqrtLR(o, { warmupSteps: 4 }).lrAt(15, 0.01)).toBeCloseTo(0.005, 12);
      expect(new LambdaLR(o, (t) => 0.5 ** t).lrAt(3, 1)).toBe(0.125);
    }));

  it('withWarmup ramps linearly then hands over to the next schedule at its step 0', () =>
    withOptimizer('adam', 0.01, (o) => {
      const sched = withWarmup(new CosineAnnealingLR(o, { tMax: 10 }), { warmupSteps: 5, startFactor: 0.2 });
      const { lrs } = record(o, sched, 16);
      expectClose(lrs.slice(0, 6), [0.002, 0.0036, 0.0052, 0.0068, 0.0084, 0.01], { atol: 1e-12 });
      expect(lrs[15]).toBeCloseTo(0, 12); // end of the cosine
    }));

  it('rejects bad options and stepping a one-cycle schedule past its end', () =>
    withOptimizer('sgd', 0.1, (o) => {
      expect(() => new StepLR(o, { stepSize: 0 })).toThrow(/StepLR: opts\.stepSize must be an integer >= 1, got 0/);
      expect(() => new CosineAnnealingWarmRestarts(o, { t0: 2, tMult: 1.5 })).toThrow(/tMult must be an integer/);
      expect(() => new OneCycleLR(o, { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' })).toThrow(/one of 'cos', 'linear'/);
      expect(() => new SequentialLR(o, [new StepLR(o, { stepSize: 1 })], [3])).toThrow(/0 milestones/);
      const oc = new OneCycleLR(o, { maxLr: 1, totalSteps: 3 });
      oc.step();
      oc.step();
      oc.step();
      expect(() => oc.step()).toThrow(/OneCycleLR\.step: step must be at most totalSteps = 3/);
    }));

  it('state dict round-trips and each group keeps its own base rate', () => {
    const inits = [tf.zeros([1]), tf.zeros([1])];
    const [a, b] = inits.map((t) => new Parameter(t));
    tf.dispose(inits);
    const opt = new SGD([{ params: [a!], lr: 0.01 }, { params: [b!] }], { lr: 0.1 });
    const s1 = new ExponentialLR(opt, { gamma: 0.5 });
    s1.step();
    s1.step();
    expect(s1.getLastLr()).toEqual([0.0025, 0.025]);
    const state = JSON.parse(JSON.stringify(s1.stateDict()));
    opt.paramGroups.forEach((g) => (g.lr = 99));
    const s2 = new ExponentialLR(opt, { gamma: 0.5 });
    s2.loadStateDict(state);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.0025, 0.025]);
    opt.dispose();
    tf.dispose([a!, b!]);
  });
});
