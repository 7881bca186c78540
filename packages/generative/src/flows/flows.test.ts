import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { MADE } from './made.js';
import { MaskedLinear } from './masked-linear.js';
import { RealNVP } from './real-nvp.js';

/** All `K^D` vectors of `D` values in `[0, K)`, `[K^D, D]`. */
function allVectors(d: number, k: number): tf.Tensor {
  const n = k ** d;
  return tf.tensor2d(Array.from({ length: n * d }, (_, i) => Math.floor(Math.floor(i / d) / k ** (i % d)) % k), [n, d]);
}

describe('MADE', () => {
  it('is an exact distribution: probabilities of all vectors sum to 1 (binary and 3-valued, custom order)', () => {
    for (const [levels, order] of [[2, undefined], [3, [2, 0, 3, 1]]] as const) {
      const m = new MADE({ inputDim: 4, hidden: [16, 16], levels, order: order as number[] | undefined, generator: new Generator(0) });
      const total = tf.tidy(() => values(tf.sum(tf.exp(m.logProb(allVectors(4, levels)))))[0]!);
      expect(total).toBeCloseTo(1, 4);
      m.dispose();
    }
  });

  it('output d depends only on the inputs before d in the order (the masks work)', () => {
    const order = [3, 1, 0, 2];
    const m = new MADE({ inputDim: 4, hidden: [12], order, generator: new Generator(1) });
    const rank = new Map(order.map((d, t) => [d, t]));
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0, 1, 1]]);
      for (let i = 0; i < 4; i++) {
        const flipped = tf.tensor2d([[0, 1, 2, 3].map((j) => (j === i ? 1 - [1, 0, 1, 1][j]! : [1, 0, 1, 1][j]!))]);
        const diff = values(tf.sum(tf.abs(tf.sub(m.forward(x), m.forward(flipped))), -1)); // [D] change per output dim
        for (let d = 0; d < 4; d++) if (rank.get(d)! <= rank.get(i)!) expect(diff[d], `output ${d} saw input ${i}`).toBe(0);
      }
    });
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['net.0.mask', 'net.2.mask']);
    m.dispose();
  });

  it('learns a correlated distribution and samples it', async () => {
    const m = new MADE({ inputDim: 3, hidden: [16], generator: new Generator(2) });
    const data = tf.tensor2d([[0, 0, 0], [1, 1, 1], [0, 0, 0], [1, 1, 1]]); // x1 = x2 = x3 ~ Bernoulli(½)
    const opt = tf.train.adam(3e-2);
    for (let i = 0; i < 200; i++) opt.minimize(() => tf.neg(tf.mean(m.logProb(data))) as tf.Scalar, false, m.trainableParameters());
    const nll = tf.tidy(() => -values(tf.mean(m.logProb(data)))[0]!);
    expect(nll).toBeLessThan(Math.LN2 + 0.05); // the entropy, ln 2
    const s = await m.sample(200, { generator: new Generator(3) });
    const rows = values(s);
    let consistent = 0;
    for (let i = 0; i < 200; i++) if (rows[3 * i] === rows[3 * i + 1] && rows[3 * i + 1] === rows[3 * i + 2]) consistent++;
    expect(consistent).toBeGreaterThan(190);
    tf.dispose([data, s]);
    opt.dispose();
    m.dispose();
  });

  it('validates', () => {
    expect(() => new MADE({ inputDim: 3, order: [0, 0, 1] })).toThrow(/MADE: options.order must be a permutation of 0 … 2, got \[0, 0, 1\] \(3 entries\)/);
    const mask = tf.ones([2, 2]);
    expect(() => new MaskedLinear(3, 2, mask)).toThrow(/MaskedLinear: mask must be shape \[3, 2\] \(\[in, out\]\), got shape \[2, 2\]/);
    mask.dispose();
  });
});

describe('RealNVP', () => {
  it('inverts exactly and its log-determinant is the log |det| of the Jacobian', () => {
    const flow = new RealNVP({ dim: 3, numCouplings: 3, hidden: [8], generator: new Generator(4) });
    // the couplings start as the identity (scale 0): give them a non-trivial transform
    for (const [name, p] of flow.namedParameters()) if (name.endsWith('scale')) tf.tidy(() => p.assign(tf.fill(p.shape, 0.7)));
    tf.tidy(() => {
      const x = tf.tensor2d([[0.3, -1.2, 0.8], [2, 0.1, -0.5]]);
      const { z, logDet } = flow.forward(x);
      expectClose(flow.inverse(z), x, { atol: 1e-5 });
      // numerical Jacobian of the first row by central differences
      const h = 1e-2;
      const jac: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const e = tf.cast(tf.oneHot(tf.tensor1d([i], 'int32'), 3), 'float32');
        const zp = values(flow.forward(tf.add(x, tf.mul(e, h))).z).slice(0, 3);
        const zm = values(flow.forward(tf.sub(x, tf.mul(e, h))).z).slice(0, 3);
        jac.push(zp.map((v, j) => (v - zm[j]!) / (2 * h)));
      }
      const [a, b, c] = jac as [number[], number[], number[]];
      const det = a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
      expectClose(values(logDet)[0]!, Math.log(Math.abs(det)), { atol: 2e-3, rtol: 1e-3 });
    });
    flow.dispose();
  });

  it('is a normalised density: it integrates to 1 over the plane', () => {
    const flow = new RealNVP({ dim: 2, numCouplings: 4, hidden: [8], generator: new Generator(5) });
    for (const [name, p] of flow.namedParameters()) if (name.endsWith('scale')) tf.tidy(() => p.assign(tf.fill(p.shape, 0.5)));
    const step = 0.05;
    const grid: number[] = [];
    for (let i = -8; i < 8; i += step) for (let j = -8; j < 8; j += step) grid.push(i + step / 2, j + step / 2);
    const mass = tf.tidy(() => values(tf.sum(tf.exp(flow.logProb(tf.tensor2d(grid, [grid.length / 2, 2])))))[0]! * step * step);
    expect(mass).toBeCloseTo(1, 2);
    flow.dispose();
  });

  it('fits a shifted, scaled Gaussian by maximum likelihood and samples from it', () => {
    const gen = new Generator(6);
    const flow = new RealNVP({ dim: 2, numCouplings: 4, hidden: [16], generator: gen });
    const data = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([256, 2], 0, 1, 'float32', 1), [0.5, 2]), [3, -1]));
    const opt = tf.train.adam(2e-2);
    for (let i = 0; i < 300; i++) opt.minimize(() => tf.neg(tf.mean(flow.logProb(data))) as tf.Scalar, false, flow.trainableParameters());
    tf.tidy(() => {
      const s = flow.sample(2000, { generator: gen });
      const { mean, variance } = tf.moments(s, 0);
      expectClose(mean, [3, -1], { atol: 0.25 });
      expectClose(tf.sqrt(variance), [0.5, 2], { atol: 0.3 });
    });
    tf.dispose(data);
    opt.dispose();
    flow.dispose();
  });
});
