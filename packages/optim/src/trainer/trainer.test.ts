import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, FoveaError, Generator, TensorDataset, crossEntropy } from '@fovea/core';
import { Adam, CosineAnnealingLR, SGD, Trainer, type Callback, type ProgressStream } from '../index.js';
import { Mlp, accuracy, blobs } from '../../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fovea-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
