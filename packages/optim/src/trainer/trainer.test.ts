import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, FoveaError, Generator, Module, TensorDataset, bernoulli, crossEntropy, randn, type Parameter } from '@fovea/core';
import { Adam, CosineAnnealingLR, SGD, Trainer, type Callback, type ProgressStream } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'fovea-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A two-layer net with dropout drawn from a generator (so resuming must restore RNG state). */
class Mlp extends Module<[tf.Tensor], tf.Tensor> {
  readonly w1: Parameter;
  readonly b1: Parameter;
  readonly w2: Parameter;
  readonly b2: Parameter;
  constructor(dIn: number, hidden: number, k: number, private readonly gen: Generator, private readonly p = 0) {
    super();
    this.w1 = this.registerParameter('w1', tf.tidy(() => tf.mul(randn([dIn, hidden], { generator: gen }), Math.sqrt(2 / dIn))));
    this.b1 = this.registerParameter('b1', tf.zeros([hidden]));
    this.w2 = this.registerParameter('w2', tf.tidy(() => tf.mul(randn([hidden, k], { generator: gen }), Math.sqrt(1 / hidden))));
    this.b2 = this.registerParameter('b2', tf.zeros([k]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = tf.relu(tf.add(tf.matMul(x, this.w1), this.b1)); // [N, hidden]
      if (this.training && this.p > 0) h = tf.div(tf.mul(h, bernoulli(h.shape, 1 - this.p, { generator: this.gen })), 1 - this.p);
      return tf.add(tf.matMul(h, this.w2), this.b2); // [N, K]
    });
  }
}

/** Three Gaussian blobs in 2-D. */
function blobs(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(centers[c]![0]! + 0.6 * g.normal(), centers[c]![1]! + 0.6 * g.normal());
    ys.push(c);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(ys, 'int32') };
}

const accuracy = (logits: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);
const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y) as tf.Scalar;

function silent(): ProgressStream & { text: string } {
  const s = { text: '', isTTY: false, write(t: string) { s.text += t; return true; } };
  return s;
}

function setup(seed = 1, dropout = 0.2) {
  const gen = new Generator(seed);
  const data = blobs(96, 7);
  const val = blobs(48, 8);
  const model = new Mlp(2, 16, 3, gen, dropout);
  const loader = new DataLoader(new TensorDataset([data.x, data.y]), { batchSize: 16, shuffle: true, generator: gen });
  const valLoader = new DataLoader(new TensorDataset([val.x, val.y]), { batchSize: 48 });
  const opt = new Adam(model.parameters(), { lr: 0.05 });
  const sched = new CosineAnnealingLR(opt, { tMax: 6 * loader.length });
  const out = silent();
  const trainer = new Trainer({ model, optimizer: opt, loss: ce, scheduler: sched, metrics: { acc: accuracy }, generators: [gen], progress: out });
  const dispose = () => {
    trainer.dispose();
    opt.dispose();
    model.dispose();
    tf.dispose([data.x, data.y, val.x, val.y]);
  };
  return { model, trainer, loader, valLoader, out, dispose };
}

describe('Trainer', () => {
  it('trains, validates, logs metrics per epoch and per step, and prints one line per epoch off a TTY', async () => {
    const s = setup();
    const h = await s.trainer.fit(s.loader, { epochs: 6, validation: s.valLoader });
    expect(h.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.stepLoss.length).toBe(6 * 6);
    expect(h.epochs[5]!.loss).toBeLessThan(h.epochs[0]!.loss);
    expect(h.epochs[5]!['val_acc']).toBeGreaterThan(0.9);
    expect(h.stepLr[0]).toBeCloseTo(0.05, 10);
    expect(h.epochs[5]!.lr).toBeCloseTo(0, 10); // cosine over all 36 steps
    expect(h.bestEpoch).not.toBeNull();
    expect(s.out.text.trim().split('\n')).toHaveLength(6);
    expect(s.out.text).toMatch(/^epoch 1\/6 {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_acc \d\.\d{4} {2}lr \d\.\d\de-2/);
    const ev = await s.trainer.evaluate(s.valLoader);
    expect(ev['acc']).toBeCloseTo(h.epochs[5]!['val_acc']!, 6);
    s.dispose();
  });

  it('resuming from a checkpoint gives the same weights and history as an uninterrupted run', async () => {
    const full = setup(3);
    const hFull = await full.trainer.fit(full.loader, { epochs: 4, validation: full.valLoader });
    const part = setup(3);
    const path = join(dir, 'run.safetensors');
    await part.trainer.fit(part.loader, { epochs: 2, validation: part.valLoader, checkpoint: { path } });
    part.dispose();
    const resumed = setup(99); // different init and shuffling: everything must come from the checkpoint
    const hRes = await resumed.trainer.fit(resumed.loader, { epochs: 4, validation: resumed.valLoader, resumeFrom: path });
    expect(hRes.stepLoss).toEqual(hFull.stepLoss);
    expect(hRes.epochs.map((e) => e.val_loss)).toEqual(hFull.epochs.map((e) => e.val_loss));
    const a = full.model.stateDict();
    const b = resumed.model.stateDict();
    for (const k of Object.keys(a)) expect(Array.from(b[k]!.dataSync())).toEqual(Array.from(a[k]!.dataSync()));
    tf.dispose([...Object.values(a), ...Object.values(b)]);
    full.dispose();
    resumed.dispose();
  });

  it('early stopping restores the best epoch', async () => {
    const s = setup(5, 0);
    // an absurd learning rate after the first epoch makes validation worse
    const cb: Callback = { onEpochEnd: (log, t) => { if (log.epoch === 2) t.optimizer.paramGroups[0]!.lr = 50; } };
    const opt = new SGD(s.model.parameters(), { lr: 0.1 });
    const trainer = new Trainer({ model: s.model, optimizer: opt, loss: ce, callbacks: [cb], progress: false });
    const h = await trainer.fit(s.loader, { epochs: 20, validation: s.valLoader, earlyStopping: { patience: 2 } });
    expect(h.stopped).toBe(true);
    expect(h.epochs.length).toBeLessThan(20);
    expect(h.bestEpoch).toBeLessThanOrEqual(3);
    const ev = await trainer.evaluate(s.valLoader);
    expect(ev['loss']).toBeCloseTo(h.bestValue!, 5);
    trainer.dispose();
    opt.dispose();
    s.dispose();
  });

  it('a NaN loss stops training with a FoveaError naming the step, before touching the weights', async () => {
    const s = setup(6, 0);
    let calls = 0;
    const opt = new SGD(s.model.parameters(), { lr: 0.1 });
    const loss = (p: tf.Tensor, y: tf.Tensor) => tf.tidy(() => (++calls === 9 ? tf.mul(ce(p, y), NaN) : ce(p, y)) as tf.Scalar);
    let w8: tf.Tensor | null = null;
    const cb: Callback = { onBatchEnd: (log) => { if (log.globalStep === 8) w8 = tf.clone(s.model.w1); } };
    const trainer = new Trainer({ model: s.model, optimizer: opt, loss, callbacks: [cb], progress: false });
    const err = await trainer.fit(s.loader, { epochs: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FoveaError);
    expect((err as FoveaError).message).toBe('Trainer.fit: loss must be a finite value, got NaN at epoch 2, step 9 (batch 2 of the epoch); the weights were not updated');
    expect(Array.from(s.model.w1.dataSync())).toEqual(Array.from(w8!.dataSync()));
    expect(opt.grad(s.model.w1)).toBeUndefined();
    tf.dispose(w8!);
    trainer.dispose();
    opt.dispose();
    s.dispose();
  });

  it('rejects bad options and batches', async () => {
    const s = setup();
    expect(() => new Trainer({ model: s.model, optimizer: s.trainer.optimizer, loss: 3 as never })).toThrow(/Trainer: opts\.loss must be a loss function/);
    await expect(s.trainer.fit([[tf.zeros([2, 2]), tf.zeros([3], 'int32')]] as never, { epochs: 1 })).rejects.toThrow(/batch 0 must be x and y with the same first dimension/);
    await expect(s.trainer.fit([], { epochs: 1 })).rejects.toThrow(/at least one batch per epoch/);
    s.dispose();
  });
});
