import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { ConditionalVAE } from './conditional-vae.js';
import { VAE } from './vae.js';

/** A few Adam-free steps of plain gradient descent on `loss`; returns the losses. */
function descend(vars: tf.Variable[], loss: () => tf.Scalar, steps: number, lr: number): number[] {
  const out: number[] = [];
  const opt = tf.train.adam(lr);
  for (let i = 0; i < steps; i++) {
    const l = opt.minimize(loss, true, vars)!;
    out.push(l.dataSync()[0]!);
    l.dispose();
  }
  opt.dispose();
  return out;
}

/** Eight 4×4 binary patterns. */
function patterns(): tf.Tensor {
  const data = Array.from({ length: 8 }, (_, i) => Array.from({ length: 16 }, (_, p) => ((p >> (i % 4)) & 1) ^ (i >> 2)));
  return tf.tensor4d(data.flat(), [8, 4, 4, 1]);
}

describe('VAE', () => {
  it('has PyTorch-style parameters and the documented shapes', () => {
    const vae = new VAE({ inputShape: [4, 4, 1], hidden: [12], latentDim: 3, generator: new Generator(0) });
    expect(vae.namedParameters().map(([n]) => n)).toEqual(['encoder.0.weight', 'encoder.0.bias', 'fc_mu.weight', 'fc_mu.bias', 'fc_logvar.weight', 'fc_logvar.bias', 'decoder.0.weight', 'decoder.0.bias', 'decoder.2.weight', 'decoder.2.bias']);
    const sd = vae.stateDict();
    expect(sd['encoder.0.weight']!.shape).toEqual([12, 16]);
    tf.dispose(Object.values(sd));
    tf.tidy(() => {
      const x = patterns();
      const out = vae.forward(x);
      expect(out.reconLogits.shape).toEqual([8, 4, 4, 1]);
      expect(out.mu.shape).toEqual([8, 3]);
      expect(out.z.shape).toEqual([8, 3]);
      expect(vae.sample(5).shape).toEqual([5, 4, 4, 1]);
      expect(vae.reconstruct(x).shape).toEqual([8, 4, 4, 1]);
      expect(vae.negativeElbo(x, undefined, { samples: 3 }).shape).toEqual([8]);
      const s = values(vae.sample(5));
      expect(s.every((v) => v > 0 && v < 1)).toBe(true);
    });
    vae.dispose();
  });

  it('overfits a batch: the negative ELBO falls and reconstructions match', () => {
    const vae = new VAE({ inputShape: [4, 4, 1], hidden: [32], latentDim: 4, generator: new Generator(1) });
    const x = patterns();
    const losses = descend(vae.trainableParameters(), () => vae.loss(x).loss as tf.Scalar, 300, 1e-2);
    expect(losses[0]!).toBeGreaterThan(10); // ~16·ln 2
    expect(losses[losses.length - 1]!).toBeLessThan(0.35 * losses[0]!);
    vae.eval();
    const rec = vae.reconstruct(x);
    const err = tf.tidy(() => values(tf.mean(tf.abs(tf.sub(tf.round(rec), x))))[0]!);
    expect(err).toBeLessThan(0.05);
    tf.dispose([x, rec]);
    vae.dispose();
  });

  it('gives every parameter a gradient', () => {
    const vae = new VAE({ inputShape: [6], hidden: [5, 4], latentDim: 2, likelihood: 'gaussian', generator: new Generator(2) });
    const x = tf.randomNormal([3, 6]);
    const { grads, value } = tf.variableGrads(() => vae.loss(x).loss as tf.Scalar, vae.trainableParameters());
    expect(Object.keys(grads).length).toBe(vae.trainableParameters().length);
    for (const g of Object.values(grads)) expect(tf.tidy(() => values(tf.sum(tf.abs(g)))[0]!)).toBeGreaterThan(0);
    tf.dispose([x, value, ...Object.values(grads)]);
    vae.dispose();
  });

  it('is reproducible from a seed', () => {
    const run = () => {
      const vae = new VAE({ inputShape: [3], hidden: [4], latentDim: 2, generator: new Generator(9) });
      const s = vae.sample(2);
      const v = values(s);
      s.dispose();
      vae.dispose();
      return v;
    };
    expect(run()).toEqual(run());
  });

  it('validates its inputs', () => {
    const vae = new VAE({ inputShape: [4, 4, 1], hidden: [8], latentDim: 2 });
    tf.tidy(() => {
      expect(() => vae.forward(tf.zeros([2, 16]))).toThrow(/VAE.encode: x must be float32 of shape \[N, 4, 4, 1\], got float32 shape \[2, 16\]/);
      expect(() => vae.decode(tf.zeros([2, 3]))).toThrow(/VAE.decode: z must be float32 of shape \[N, 2\]/);
      expect(() => vae.forward(tf.zeros([2, 4, 4, 1]), tf.zeros([2], 'int32'))).toThrow(/labels must be none \(the model is unconditional/);
    });
    expect(() => new VAE({ inputShape: [4, 0] })).toThrow(/VAE: options.inputShape\[1\] must be an integer >= 1, got 0/);
    vae.dispose();
  });
});

describe('ConditionalVAE', () => {
  it('needs labels, conditions on them, and learns class-specific reconstructions', () => {
    expect(() => new ConditionalVAE({ inputShape: [4], numClasses: 0 })).toThrow(/ConditionalVAE: options.numClasses must be an integer >= 1/);
    const cvae = new ConditionalVAE({ inputShape: [4, 4, 1], hidden: [32], latentDim: 2, numClasses: 2, generator: new Generator(3) });
    const x = patterns();
    const labels = tf.tensor1d([0, 0, 0, 0, 1, 1, 1, 1], 'int32'); // the class is the inversion bit
    expect(() => tf.tidy(() => void cvae.forward(x))).toThrow(/ConditionalVAE.encode: labels must be int32 \[8\] class labels in \[0, 2\)/);
    const losses = descend(cvae.trainableParameters(), () => cvae.loss(x, labels).loss as tf.Scalar, 400, 1e-2);
    expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
    cvae.eval();
    // the same latent decoded as the two classes gives (nearly) complementary images
    tf.tidy(() => {
      const z = tf.zeros([2, 2]);
      const imgs = cvae.mean(cvae.decode(z, tf.tensor1d([0, 1], 'int32')));
      const [a, b] = tf.unstack(imgs);
      const sum = values(tf.mean(tf.add(a!, b!)))[0]!;
      expect(Math.abs(sum - 1)).toBeLessThan(0.2);
      expect(cvae.sample(2, { labels: tf.tensor1d([1, 0], 'int32') }).shape).toEqual([2, 4, 4, 1]);
    });
    tf.dispose([x, labels]);
    cvae.dispose();
  });
});

describe('VAE negative ELBO', () => {
  it('bounds −log p(x) from above and agrees with loss() on average', () => {
    const vae = new VAE({ inputShape: [5], hidden: [6], latentDim: 2, generator: new Generator(4) });
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0, 1, 0, 1]]);
      const nelbo = values(vae.negativeElbo(x, undefined, { samples: 400 }))[0]!;
      let avg = 0;
      for (let i = 0; i < 400; i++) avg += values(vae.loss(x).loss)[0]! / 400;
      expectClose(nelbo, avg, { rtol: 0.05 });
      expect(nelbo).toBeGreaterThan(0);
    });
    vae.dispose();
  });
});
