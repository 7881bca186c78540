import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { DCGANDiscriminator, DCGANGenerator } from './dcgan.js';
import { ganLoss } from './gan-loss.js';
import { ganTrainStep } from './gan-train-step.js';

const softplus = (v: number) => Math.log1p(Math.exp(v));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('ganLoss', () => {
  it('matches the BCE formulas for both generator losses', () => {
    const real = [2, -1, 0.5];
    const fake = [-3, 0.2];
    tf.tidy(() => {
      for (const kind of ['minimax', 'non_saturating'] as const) {
        const { dLoss, gLoss } = ganLoss(tf.tensor1d(real), tf.tensor1d(fake), { generatorLoss: kind });
        expectClose(dLoss, mean(real.map((v) => softplus(-v))) + mean(fake.map(softplus)));
        expectClose(gLoss, kind === 'minimax' ? -mean(fake.map(softplus)) : mean(fake.map((v) => softplus(-v))));
      }
    });
  });

  it('smooths the real label on request (one-sided)', () => {
    tf.tidy(() => {
      const { dLoss } = ganLoss(tf.tensor1d([2]), tf.tensor1d([-1]), { realLabel: 0.9 });
      expectClose(dLoss, 0.9 * softplus(-2) + 0.1 * softplus(2) + softplus(-1));
      expect(() => ganLoss(tf.zeros([1]), tf.zeros([1]), { realLabel: 0.3 })).toThrow(/ganLoss: options.realLabel must be a finite number > 0.5 <= 1, got 0.3/);
    });
  });

  it('the non-saturating loss keeps a strong gradient where the minimax one vanishes', () => {
    tf.tidy(() => {
      const dFake = tf.tensor1d([-8]); // the discriminator confidently rejects the fake
      const g = (kind: 'minimax' | 'non_saturating') => values(tf.grad((f: tf.Tensor) => ganLoss(tf.zeros([1]), f, { generatorLoss: kind }).gLoss)(dFake))[0]!;
      expect(Math.abs(g('minimax'))).toBeLessThan(1e-3); // −σ(−8)
      expect(Math.abs(g('non_saturating'))).toBeGreaterThan(0.99); // −(1 − σ(−8))
    });
  });

  it('validates', () => {
    tf.tidy(() => {
      expect(() => ganLoss(tf.zeros([2]), tf.zeros([2], 'int32'))).toThrow(/ganLoss: dFake must be dtype float32, got dtype int32/);
      expect(() => ganLoss(tf.zeros([2]), tf.zeros([2]), { generatorLoss: 'wgan' as 'minimax' })).toThrow(/options.generatorLoss must be one of 'minimax', 'non_saturating'/);
    });
  });
});

describe('DCGAN', () => {
  it('builds for 28, 32 and 64 pixels and returns the documented shapes', () => {
    for (const [s, c] of [[28, 1], [32, 3], [64, 3]] as const) {
      const G = new DCGANGenerator({ imageShape: [s, s, c], latentDim: 8, baseChannels: 4, generator: new Generator(0) });
      const D = new DCGANDiscriminator({ imageShape: [s, s, c], baseChannels: 4, generator: new Generator(0) });
      tf.tidy(() => {
        const img = G.forward(G.sampleLatent(2));
        expect(img.shape).toEqual([2, s, s, c]);
        expect(values(img).every((v) => v > -1 && v < 1)).toBe(true);
        expect(D.forward(img).shape).toEqual([2]);
      });
      G.dispose();
      D.dispose();
    }
    for (const bad of [[28, 32, 1], [6, 6, 1]]) {
      expect(() => new DCGANGenerator({ imageShape: bad as [number, number, number] })).toThrow(/DCGANGenerator: options.imageShape must be a square \[S, S, C\] with S = s0·2\^L/);
    }
  });

  it('conditions on one-hot labels', () => {
    const G = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: 4, baseChannels: 4, numClasses: 3, generator: new Generator(1) });
    const D = new DCGANDiscriminator({ imageShape: [28, 28, 1], baseChannels: 4, numClasses: 3, generator: new Generator(1) });
    tf.tidy(() => {
      G.eval();
      const z = tf.tile(G.sampleLatent(1), [2, 1]);
      const img = G.forward(z, tf.tensor1d([0, 2], 'int32'));
      const [a, b] = tf.unstack(img);
      expect(values(tf.max(tf.abs(tf.sub(a!, b!))))[0]!).toBeGreaterThan(1e-4); // same z, different class, different image
      expect(D.forward(img, tf.tensor1d([0, 2], 'int32')).shape).toEqual([2]);
      expect(() => G.forward(z)).toThrow(/DCGANGenerator.forward: labels must be int32 \[2\] class labels in \[0, 3\)/);
      expect(() => D.forward(img, tf.tensor1d([0, 1, 2], 'int32'))).toThrow(/DCGANDiscriminator.forward: labels must be shape \[2\]/);
    });
    G.dispose();
    D.dispose();
  });

  it('ganTrainStep updates both networks and learns to match a simple data distribution', () => {
    const gen = new Generator(3);
    const G = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: 8, baseChannels: 4, output: 'sigmoid', generator: gen });
    const D = new DCGANDiscriminator({ imageShape: [28, 28, 1], baseChannels: 4, generator: gen });
    const optG = tf.train.adam(5e-3, 0.5);
    const optD = tf.train.adam(5e-3, 0.5);
    // "real" data: a bright square in the middle of a dark image
    const real = tf.tidy(() => tf.tile(tf.pad(tf.ones([1, 10, 10, 1]), [[0, 0], [9, 9], [9, 9], [0, 0]]), [8, 1, 1, 1]));
    const fakeError = () => tf.tidy(() => values(tf.mean(tf.abs(tf.sub(G.forward(G.sampleLatent(8, gen)), real))))[0]!);
    G.eval();
    const err0 = fakeError();
    G.train();
    const before = values(G.namedParameters()[0]![1]);
    const dBefore = values(D.namedParameters()[0]![1]);
    for (let i = 0; i < 60; i++) {
      const { dLoss, gLoss } = ganTrainStep(G, D, optG, optD, real, { generator: gen });
      expect(Number.isFinite(dLoss.dataSync()[0]!) && Number.isFinite(gLoss.dataSync()[0]!)).toBe(true);
      tf.dispose([dLoss, gLoss]);
    }
    expect(values(G.namedParameters()[0]![1])).not.toEqual(before);
    expect(values(D.namedParameters()[0]![1])).not.toEqual(dBefore);
    G.eval();
    const err = fakeError();
    expect(err).toBeLessThan(0.5 * err0); // the fakes moved towards the data
    expect(() => ganTrainStep(G, D, optG, {} as tf.Optimizer, real)).toThrow(/ganTrainStep: optD must be a tf.Optimizer/);
    tf.dispose(real);
    optG.dispose();
    optD.dispose();
    G.dispose();
    D.dispose();
  });
});
