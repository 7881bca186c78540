import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, crossEntropy } from '@fovea/core';
import { Adam, Trainer } from '../index.js';
import { Mlp, accuracy, blobs } from '../../test/helpers.js';

/** The Trainer on every backend lane: a few epochs on a tiny problem, values read with `await data()`. */
describe('Trainer on this backend', () => {
  it('lowers the loss over three epochs', async () => {
    const d = blobs(24, 1);
    const model = new Mlp(2, 8, 3, new Generator(0));
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const trainer = new Trainer({ model, optimizer: opt, loss: (p, y) => crossEntropy(p, y) as tf.Scalar, metrics: { acc: accuracy }, progress: false });
    // a fresh batch each time (the trainer disposes its batches)
    const batches = () => [0, 12].map((s) => [tf.slice(d.x, s, 12), tf.slice(d.y, s, 12)]);
    const h = await trainer.fit(batches, { epochs: 3, validation: () => [[tf.clone(d.x), tf.clone(d.y)]] });
    expect(h.epochs).toHaveLength(3);
    expect(h.epochs[2]!.loss).toBeLessThan(h.epochs[0]!.loss);
    expect(h.epochs[2]!['val_acc']).toBeGreaterThanOrEqual(0);
    trainer.dispose();
    opt.dispose();
    model.dispose();
    tf.dispose([d.x, d.y]);
  });
});
