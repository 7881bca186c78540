import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { DCGANDiscriminator, DCGANGenerator } from './dcgan.js';
import { ganLoss } from './gan-loss.js';
import { ganTrainStep } from './gan-train-step.js';

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe(`GANs on ${tf.getBackend()}`, () => {
  it('losses and a conditional DCGAN step', async () => {
    const d0 = tf.zeros([3]);
    const { dLoss, gLoss } = ganLoss(d0, d0, { generatorLoss: 'minimax' });
    expect((await read(dLoss))[0]!).toBeCloseTo(2 * Math.LN2, 5);
    expect((await read(gLoss))[0]!).toBeCloseTo(-Math.LN2, 5);
    const g = new Generator(0);
    const G = new DCGANGenerator({ imageShape: [8, 8, 1], latentDim: 4, baseChannels: 4, numClasses: 2, generator: g });
    const D = new DCGANDiscriminator({ imageShape: [8, 8, 1], baseChannels: 4, numClasses: 2, generator: g });
    const optG = tf.train.adam(1e-3, 0.5);
    const optD = tf.train.adam(1e-3, 0.5);
    const real = tf.zeros([2, 8, 8, 1]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const r = ganTrainStep(G, D, optG, optD, real, { labels, generator: g });
    expect(Number.isFinite((await read(r.dLoss))[0]!) && Number.isFinite((await read(r.gLoss))[0]!)).toBe(true);
    const zs = G.sampleLatent(2);
    const fake = G.forward(zs, labels);
    expect(fake.shape).toEqual([2, 8, 8, 1]);
    tf.dispose([d0, zs, dLoss, gLoss, real, labels, r.dLoss, r.gLoss, fake]);
    optG.dispose();
    optD.dispose();
    G.dispose();
    D.dispose();
  });
});
