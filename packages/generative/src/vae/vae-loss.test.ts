import * as tf from '@tensorflow/tfjs-core';
import { isFoveaError } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { reparameterize } from './reparameterize.js';
import { vaeLoss } from './vae-loss.js';

/** The negative ELBO written out with plain loops (float64). */
function reference(x: number[][], r: number[][], mu: number[][], lv: number[][], lik: 'bernoulli' | 'gaussian', beta: number) {
  const recon = x.map((row, n) => row.reduce((s, xv, d) => {
    const rv = r[n]![d]!;
    return s + (lik === 'bernoulli' ? Math.max(rv, 0) + Math.log1p(Math.exp(-Math.abs(rv))) - xv * rv : 0.5 * (xv - rv) ** 2);
  }, 0));
  const kl = mu.map((row, n) => -0.5 * row.reduce((s, m, z) => s + 1 + lv[n]![z]! - m * m - Math.exp(lv[n]![z]!), 0));
  return { recon, kl, loss: recon.map((v, i) => v + beta * kl[i]!) };
}

describe('vaeLoss', () => {
  const x = [[0, 1, 0.25], [1, 1, 0.5]];
  const r = [[-2, 3, 0.5], [1.5, -0.5, 0]];
  const mu = [[0.5, -1], [0, 2]];
  const lv = [[0.1, -0.3], [1, 0]];

  it('matches the written-out negative ELBO for both likelihoods, per item and averaged', () => {
    for (const lik of ['bernoulli', 'gaussian'] as const) {
      const ref = reference(x, r, mu, lv, lik, 2);
      const t = [x, r, mu, lv].map((a) => tf.tensor2d(a));
      const none = vaeLoss(t[0]!, t[1]!, t[2]!, t[3]!, { likelihood: lik, beta: 2, reduction: 'none' });
      expectClose(none.recon, ref.recon);
      expectClose(none.kl, ref.kl);
      expectClose(none.loss, ref.loss);
      const mean = vaeLoss(t[0]!, t[1]!, t[2]!, t[3]!, { likelihood: lik, beta: 2 });
      expect(mean.loss.shape).toEqual([]);
      expectClose(mean.loss, (ref.loss[0]! + ref.loss[1]!) / 2);
      tf.dispose([...t, ...Object.values(none), ...Object.values(mean)]);
    }
  });

  it('sums over every dim of image-shaped data', () => {
    tf.tidy(() => {
      const out = vaeLoss(tf.ones([2, 3, 3, 1]), tf.zeros([2, 3, 3, 1]), tf.zeros([2, 4]), tf.zeros([2, 4]));
      expectClose(out.recon, 9 * Math.LN2);
      expectClose(out.kl, 0);
    });
  });

  it('has the analytic gradients of the KL term', () => {
    const m = tf.tensor2d([[0.5, -1]]);
    const l = tf.tensor2d([[0.2, -0.4]]);
    const [gm, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => vaeLoss(tf.zeros([1, 2]), tf.zeros([1, 2]), a, b, { likelihood: 'gaussian' }).kl)([m, l]);
    expectClose(gm!, [[0.5, -1]]); // ∂/∂μ = μ
    expectClose(gl!, values(l).map((v) => 0.5 * (Math.exp(v) - 1)).map((v) => v), {}); // ∂/∂logvar = ½(e^lv − 1)
    tf.dispose([m, l, gm!, gl!]);
  });

  it('rejects mismatched shapes and bad options with a FoveaError', () => {
    const a = tf.zeros([3, 4]);
    const mu = tf.zeros([3, 2]);
    const lv = tf.zeros([3, 3]);
    const cases: [() => unknown, RegExp][] = [
      [() => vaeLoss(a, a, mu, lv), /vaeLoss: logvar must be shape \[N, Z\] with N = 3, Z = 2, got shape \[3, 3\]/],
      [() => vaeLoss(a, tf.zeros([3, 5]), mu, mu), /vaeLoss: reconLogits must be the shape of x \[3, 4\]/],
      [() => vaeLoss(a, a, tf.zeros([2, 2]), tf.zeros([2, 2])), /vaeLoss: mu must be shape \[N, Z\] with N = 3/],
      [() => vaeLoss(a, a, mu, mu, { likelihood: 'poisson' as 'gaussian' }), /options.likelihood must be one of 'bernoulli', 'gaussian'/],
      [() => vaeLoss(a, a, mu, mu, { beta: -1 }), /options.beta must be a finite number >= 0/],
    ];
    for (const [f, re] of cases) {
      let err: unknown;
      tf.tidy(() => {
        try {
          f();
        } catch (e) {
          err = e;
        }
      });
      expect(isFoveaError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
    }
    tf.dispose([a, mu, lv]);
  });
});

describe('reparameterize', () => {
  it('is mu + exp(logvar / 2) · eps with gradients 1 and eps·σ/2', () => {
    const mu = tf.tensor1d([1, -2]);
    const lv = tf.tensor1d([0, Math.log(9)]);
    const eps = tf.tensor1d([0.5, -1]);
    const z = reparameterize(mu, lv, { eps });
    expectClose(z, [1.5, -5]);
    const [gm, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => reparameterize(a, b, { eps }))([mu, lv]);
    expectClose(gm!, [1, 1]);
    expectClose(gl!, [0.25, -1.5]);
    tf.dispose([mu, lv, eps, z, gm!, gl!]);
  });

  it('draws eps from the seeded generator: same seed, same sample; moments of N(mu, σ²)', async () => {
    const { Generator } = await import('@fovea/core');
    const mu = tf.fill([20000], 3);
    const lv = tf.fill([20000], Math.log(4));
    const a = reparameterize(mu, lv, { generator: new Generator(5) });
    const b = reparameterize(mu, lv, { generator: new Generator(5) });
    expect(values(a)).toEqual(values(b));
    const v = values(a);
    const mean = v.reduce((s, q) => s + q, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, q) => s + (q - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.05);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
    expect(() => tf.tidy(() => reparameterize(mu, tf.zeros([3])))).toThrow(/reparameterize: logvar must be the shape of mu \[20000\], got shape \[3\]/);
    tf.dispose([mu, lv, a, b]);
  });
});
