import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { interpolateLatents } from './interpolate-latents.js';
import { reparameterize } from './reparameterize.js';
import { VAE } from './vae.js';
import { vaeLoss } from './vae-loss.js';

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe(`VAE pieces on ${tf.getBackend()}`, () => {
  it('reparameterize, vaeLoss and their gradients', async () => {
    const [mu, lv, eps, x, r] = [tf.tensor2d([[1, -1]]), tf.tensor2d([[0, Math.log(4)]]), tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1, 0]]), tf.zeros([1, 2])];
    const z = reparameterize(mu, lv, { eps });
    expect(await read(z)).toEqual([1.5, 0]);
    const l = vaeLoss(x, r, mu, lv);
    const want = 2 * Math.LN2 + -0.5 * (1 + 0 - 1 - 1 + (1 + Math.log(4) - 1 - 4));
    expect((await read(l.loss))[0]!).toBeCloseTo(want, 4);
    const g = tf.grad((m: tf.Tensor) => vaeLoss(x, r, m, lv).kl)(mu);
    expect(await read(g)).toEqual([1, -1]);
    tf.dispose([mu, lv, eps, x, r, z, l.recon, l.kl, l.loss, g]);
  });

  it('a VAE trains a step and samples; latent paths', async () => {
    const vae = new VAE({ inputShape: [4, 4, 1], hidden: [8], latentDim: 2, generator: new Generator(0) });
    const x = tf.ones([2, 4, 4, 1]);
    const opt = tf.train.adam(1e-2);
    const l = opt.minimize(() => vae.loss(x).loss as tf.Scalar, true, vae.trainableParameters())!;
    expect(Number.isFinite((await read(l))[0]!)).toBe(true);
    const s = vae.sample(3);
    expect(s.shape).toEqual([3, 4, 4, 1]);
    const [z0, z1] = [tf.tensor1d([1, 0]), tf.tensor1d([0, 1])];
    const path = interpolateLatents(z0, z1, 3, { method: 'slerp' });
    const p = await read(path);
    expect(p[2]!).toBeCloseTo(Math.SQRT1_2, 5);
    tf.dispose([x, l, s, path, z0, z1]);
    opt.dispose();
    vae.dispose();
  });
});
