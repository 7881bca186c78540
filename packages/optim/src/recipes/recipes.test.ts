import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataLoader, Generator, TensorDataset, crossEntropy } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import {
  Adam,
  CosineAnnealingWarmRestarts,
  SGD,
  SnapshotEnsemble,
  Trainer,
  checkInitialLoss,
  choice,
  coarseToFineSearch,
  ensemblePredict,
  findLr,
  gridSearch,
  intUniform,
  logUniform,
  overfitSmallSample,
  randomSearch,
  uniformRange,
} from '../index.js';
import { Mlp, blobs } from '../../test/helpers.js';

const ce = (p: tf.Tensor, y: tf.Tensor) => crossEntropy(p, y) as tf.Scalar;

describe('sanity-check recipes', () => {
  it('checkInitialLoss: ≈ log K for a small init, flags a large one', async () => {
    const d = blobs(60, 1);
    const small = new Mlp(2, 8, 3, new Generator(0));
    const scale = (f: number) => {
      const t = tf.mul(small.w2, f);
      small.w2.assign(t);
      t.dispose();
    };
    scale(0.01);
    const r = await checkInitialLoss(small, d.x, d.y, ce);
    expect(r.expected).toBeCloseTo(Math.log(3), 12);
    expect(r.ok).toBe(true);
    scale(5000);
    const bad = await checkInitialLoss(small, d.x, d.y, ce);
    expect(bad.ok).toBe(false);
    expect(bad.ratio).toBeGreaterThan(2);
    small.dispose();
    tf.dispose([d.x, d.y]);
  });

  it('overfitSmallSample drives the loss of a few examples to ~0', async () => {
    const d = blobs(12, 2);
    const m = new Mlp(2, 32, 3, new Generator(1));
    const opt = new Adam(m.parameters(), { lr: 0.03 });
    const r = await overfitSmallSample(m, opt, d.x, d.y, ce, { steps: 300, targetLoss: 0.05 });
    expect(r.reachedAt).not.toBeNull();
    expect(r.finalLoss).toBeLessThan(0.05);
    expect(r.losses[0]!).toBeGreaterThan(r.finalLoss);
    opt.dispose();
    m.dispose();
    tf.dispose([d.x, d.y]);
  });

  it('findLr sweeps exponentially, suggests a sane rate, and restores weights and optimizer', async () => {
    const d = blobs(96, 3);
    const m = new Mlp(2, 16, 3, new Generator(2));
    const opt = new SGD(m.parameters(), { lr: 0.123, momentum: 0.9 });
    const before = m.stateDict();
    const loader = new DataLoader(new TensorDataset([d.x, d.y]), { batchSize: 16, shuffle: true, generator: new Generator(5) });
    const r = await findLr(m, opt, loader, ce, { startLr: 1e-5, endLr: 100, numIters: 60 });
    const iMin = r.losses.indexOf(Math.min(...r.losses));
    expect(r.minLossLr).toBe(r.lrs[iMin]);
    expect(r.suggestedLr).toBeLessThan(r.minLossLr);
    expect(r.lrs[0]).toBeCloseTo(1e-5, 12);
    expect(r.lrs[1]! / r.lrs[0]!).toBeCloseTo((100 / 1e-5) ** (1 / 59), 8);
    expect(r.diverged).toBe(true); // lr 100 with momentum blows up
    expect(r.suggestedLr).toBeGreaterThan(1e-3);
    expect(r.suggestedLr).toBeLessThan(10);
    const after = m.stateDict();
    for (const k of Object.keys(before)) expectClose(after[k]!, before[k]!, { atol: 0, rtol: 0 });
    expect(opt.paramGroups[0]!.lr).toBe(0.123);
    expect(opt.iterations).toBe(0);
    tf.dispose([...Object.values(before), ...Object.values(after), d.x, d.y]);
    opt.dispose();
    m.dispose();
  });
});

describe('hyper-parameter search', () => {
  const bowl = async (p: Record<string, unknown>) => (Math.log10(p['lr'] as number) + 3) ** 2 + ((p['wd'] as number) - 0.2) ** 2;

  it('randomSearch samples log-uniformly and is reproducible with a generator', async () => {
    const space = { lr: logUniform(1e-6, 1), wd: uniformRange(0, 1), layers: intUniform(1, 3), act: choice(['relu', 'gelu']) };
    const a = await randomSearch(space, bowl, { trials: 40, generator: new Generator(7) });
    const b = await randomSearch(space, bowl, { trials: 40, generator: new Generator(7) });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    const lrs = a.trials.map((t) => Math.log10(t.params['lr'] as number));
    expect(Math.min(...lrs)).toBeLessThan(-4);
    expect(Math.max(...lrs)).toBeGreaterThan(-2);
    expect(new Set(a.trials.map((t) => t.params['layers']))).toEqual(new Set([1, 2, 3]));
    expect(a.best.score).toBe(Math.min(...a.trials.map((t) => t.score)));
  });

  it('gridSearch tries every combination; mode max picks the largest', async () => {
    const r = await gridSearch({ lr: [1e-3, 1e-2, 1e-1], bs: [16, 32] }, ({ lr, bs }) => lr * bs, { mode: 'max' });
    expect(r.trials.map((t) => [t.params.lr, t.params.bs])).toEqual([[1e-3, 16], [1e-3, 32], [1e-2, 16], [1e-2, 32], [1e-1, 16], [1e-1, 32]]);
    expect(r.best.params).toEqual({ lr: 1e-1, bs: 32 });
  });

  it('coarseToFineSearch narrows the ranges round after round and beats one random round', async () => {
    const space = { lr: logUniform(1e-6, 1), wd: uniformRange(0, 1) };
    const r = await coarseToFineSearch(space, bowl, { rounds: 4, trialsPerRound: 10, keepTop: 3, generator: new Generator(3) });
    expect(r.trials.length).toBe(40);
    const span = (i: number) => Math.log((r.spaces[i]!['lr'] as { high: number }).high / (r.spaces[i]!['lr'] as { low: number }).low);
    expect(span(3)).toBeLessThan(span(0) / 2);
    const flat = await randomSearch(space, bowl, { trials: 10, generator: new Generator(3) });
    expect(r.best.score).toBeLessThanOrEqual(flat.best.score);
    expect(Math.abs(Math.log10(r.best.params['lr'] as number) + 3)).toBeLessThan(0.5);
    await expect(randomSearch(space, async () => NaN, { trials: 1 })).rejects.toThrow(/objective must be a number/);
  });
});

describe('ensembles', () => {
  it('ensemblePredict averages the models’ softmax probabilities', () => {
    const d = blobs(9, 4);
    const a = new Mlp(2, 4, 3, new Generator(10));
    const b = new Mlp(2, 4, 3, new Generator(11));
    const p = ensemblePredict([a, b], d.x);
    const want = tf.tidy(() => tf.div(tf.add(tf.softmax(a.forward(d.x)), tf.softmax(b.forward(d.x))), 2));
    expectClose(p, want, { atol: 1e-6 });
    const rowSums = tf.sum(p, -1);
    expectClose(rowSums, Array(9).fill(1), { atol: 1e-5 });
    tf.dispose([p, want, rowSums, d.x, d.y]);
    a.dispose();
    b.dispose();
  });

  it('SnapshotEnsemble keeps the weights at the end of each warm-restart cycle and restores the model after predicting', async () => {
    const d = blobs(96, 5);
    const m = new Mlp(2, 16, 3, new Generator(6));
    const opt = new SGD(m.parameters(), { lr: 0.2, momentum: 0.9 });
    const sched = new CosineAnnealingWarmRestarts(opt, { t0: 2 });
    const snaps = new SnapshotEnsemble({ when: (log) => sched.cycleEnds(log.epoch - 1) });
    const loader = new DataLoader(new TensorDataset([d.x, d.y]), { batchSize: 32, shuffle: true, generator: new Generator(1) });
    const trainer = new Trainer({ model: m, optimizer: opt, loss: ce, scheduler: sched, schedulerInterval: 'epoch', callbacks: [snaps], progress: false });
    await trainer.fit(loader, { epochs: 6 });
    expect(snaps.snapshots.map((s) => s.epoch)).toEqual([2, 4, 6]);
    const before = tf.clone(m.w1);
    const probs = snaps.predict(m, d.x);
    expect(probs.shape).toEqual([96, 3]);
    expectClose(m.w1, before, { atol: 0, rtol: 0 });
    const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(probs, -1), 'int32'), d.y), 'float32')));
    expect(acc.dataSync()[0]).toBeGreaterThan(0.9);
    tf.dispose([before, probs, acc, d.x, d.y]);
    snaps.dispose();
    trainer.dispose();
    opt.dispose();
    m.dispose();
  });
});
