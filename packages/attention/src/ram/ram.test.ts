import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { Adam } from '@fovea/optim';
import { expectClose } from '@fovea/test-utils';
import { LocationNetwork, RecurrentAttentionModel, glimpseSensor, ramLoss } from '../index.js';
import { rand } from '../../test/helpers.js';

/** tfjs's cropAndResize sampling: bilinear inside `[0, H-1]`, zero outside. */
function bilinear(img: Float32Array, h: number, w: number, y: number, x: number): number {
  if (y < 0 || y > h - 1 || x < 0 || x > w - 1) return 0;
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const y1 = Math.min(y0 + 1, h - 1);
  const x1 = Math.min(x0 + 1, w - 1);
  const dy = y - y0;
  const dx = x - x0;
  const at = (r: number, c: number) => img[r * w + c]!;
  return (1 - dy) * ((1 - dx) * at(y0, x0) + dx * at(y0, x1)) + dy * ((1 - dx) * at(y1, x0) + dx * at(y1, x1));
}

/** A loop reference of the sensor for one single-channel image and one location. */
function referenceGlimpse(img: Float32Array, h: number, w: number, lx: number, ly: number, g: number, k: number, s: number): number[] {
  const cx = ((lx + 1) * w) / 2;
  const cy = ((ly + 1) * h) / 2;
  const out = new Array<number>(g * g * k).fill(0);
  for (let d = 0; d < k; d++) {
    const f = s ** d;
    const side = g * f;
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++) {
        let acc = 0;
        for (let a = 0; a < f; a++) for (let b = 0; b < f; b++) acc += bilinear(img, h, w, cy - side / 2 + i * f + a, cx - side / 2 + j * f + b);
        out[(d * g + i) * g + j] = acc / (f * f);
      }
  }
  return out;
}

describe('glimpseSensor', () => {
  it('extracts k patches of growing size around (x, y), averaged to g × g, zero outside the image', () => {
    tf.tidy(() => {
      const [h, w] = [11, 9];
      const img = rand([2, h, w, 1], 3);
      const locs = tf.tensor2d([[0, 0], [0.63, -0.9]]);
      const got = glimpseSensor(img, locs, { size: 3, depth: 3, scale: 2 });
      expect(got.shape).toEqual([2, 3, 3, 3, 1]);
      const data = img.dataSync() as Float32Array;
      const want = [
        ...referenceGlimpse(data.subarray(0, h * w), h, w, 0, 0, 3, 3, 2),
        ...referenceGlimpse(data.subarray(h * w), h, w, 0.63, -0.9, 3, 3, 2),
      ];
      expectClose(got, want, { atol: 1e-5 });
    });
  });

  it('centred on whole pixels the finest patch is an exact crop; gradients are zero', () => {
    tf.tidy(() => {
      const img = tf.reshape(tf.range(0, 36), [1, 6, 6, 1]);
      // centre (3, 3) in pixels: a 2×2 patch of rows/columns 2..3
      const patch = glimpseSensor(img, tf.zeros([1, 2]), { size: 2, depth: 1 });
      expect(Array.from(patch.dataSync())).toEqual([14, 15, 20, 21]);
      const [gi, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(glimpseSensor(a, b, { size: 2, depth: 2 })))([img, tf.zeros([1, 2])]);
      expect(Array.from(gi!.dataSync()).every((v) => v === 0) && Array.from(gl!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(() => glimpseSensor(img, tf.zeros([2, 2]))).toThrow(/glimpseSensor: locations must be shape \[B, 2\] with B = 1/);
    });
  });
});

describe('LocationNetwork', () => {
  it('samples around tanh(fc(h)) in training, returns the mean in eval mode, with the Gaussian log-density', () => {
    const net = new LocationNetwork(5, { std: 0.2, generator: new Generator(0) });
    tf.tidy(() => {
      const h = rand([64, 5], 4);
      const s = net.forward(h);
      const z = tf.div(tf.sub(tf.clipByValue(s.location, -2, 2), s.mean), 0.2);
      // where no coordinate was clipped the sample is μ + σ·z with the density of N(μ, σ²)
      const want = tf.sum(tf.sub(tf.mul(tf.square(z), -0.5), Math.log(0.2) + 0.5 * Math.log(2 * Math.PI)), 1);
      const unclipped = tf.all(tf.less(tf.abs(s.location), 1), 1);
      expectClose(tf.where(unclipped, s.logProb, 0), tf.where(unclipped, want, 0), { atol: 1e-4 });
      expect(tf.max(tf.abs(s.location)).dataSync()[0]).toBeLessThanOrEqual(1);
      net.eval();
      const e = net.forward(h);
      expectClose(e.location, e.mean, { atol: 0 });
    });
    net.dispose();
  });
});

describe('RecurrentAttentionModel', () => {
  it('returns logits, the glimpse path, log-probabilities and baselines; REINFORCE trains only the locator', () => {
    const ram = new RecurrentAttentionModel({ size: 4, depth: 2, scale: 2, glimpseHidden: 8, locationHidden: 8, outputSize: 16, hiddenSize: 16, numGlimpses: 3, numClasses: 4, generator: new Generator(1) });
    tf.tidy(() => {
      const x = rand([5, 12, 12, 1], 5);
      const y = tf.tensor1d([0, 1, 2, 3, 0], 'int32');
      const out = ram.forward(x);
      expect([out.logits.shape, out.locations.shape, out.logProbs.shape, out.baselines.shape]).toEqual([[5, 4], [5, 3, 2], [5, 2], [5, 2]]);
      expect(Array.from(tf.slice(out.locations, [0, 0, 0], [5, 1, 2]).dataSync()).every((v) => v === 0)).toBe(true); // starts at the centre
      const params = ram.namedParameters();
      const gradOf = (term: 'reinforce' | 'classification' | 'baseline') => {
        const { grads } = tf.variableGrads(() => ramLoss(ram.forward(x), y)[term], params.map(([, p]) => p));
        return Object.fromEntries(params.map(([n, p]) => [n, grads[p.name] ? tf.max(tf.abs(grads[p.name]!)).dataSync()[0]! : 0]));
      };
      const reinforce = gradOf('reinforce');
      expect(reinforce['locator.fc.weight']).toBeGreaterThan(0);
      expect(reinforce['core.weight_ih']).toBe(0);
      expect(reinforce['classifier.weight']).toBe(0);
      const ce = gradOf('classification');
      expect(ce['classifier.weight']).toBeGreaterThan(0);
      expect(ce['core.weight_hh']).toBeGreaterThan(0);
      expect(ce['locator.fc.weight']).toBe(0);
      const base = gradOf('baseline');
      expect(base['baseline.weight']).toBeGreaterThan(0);
      expect(base['core.weight_ih']).toBe(0);
    });
    ram.dispose();
  });

  it('learns to tell which side of the image a blob is on (hybrid loss, Adam)', async () => {
    const gen = new Generator(2);
    const ram = new RecurrentAttentionModel({ size: 4, depth: 2, scale: 2, glimpseHidden: 16, locationHidden: 16, outputSize: 32, hiddenSize: 32, numGlimpses: 2, numClasses: 2, core: 'lstm', generator: gen });
    const opt = new Adam(ram.parameters(), { lr: 5e-3 });
    const batch = (n: number) =>
      tf.tidy(() => {
        const labels = Array.from({ length: n }, (_, i) => i % 2);
        const data = new Float32Array(n * 12 * 12);
        labels.forEach((c, i) => {
          const r0 = 2 + ((i * 5) % 7);
          for (let r = r0; r < r0 + 3; r++) for (let col = 0; col < 3; col++) data[i * 144 + r * 12 + (c ? 8 : 1) + col] = 1;
        });
        return [tf.tensor4d(data, [n, 12, 12, 1]), tf.tensor1d(labels, 'int32')] as const;
      });
    const [x, y] = batch(32);
    for (let i = 0; i < 40; i++) {
      const { value, grads } = tf.variableGrads(() => ramLoss(ram.forward(x), y).loss);
      opt.step(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    ram.eval();
    const acc = tf.tidy(() => ramLoss(ram.forward(x), y).reward.dataSync()[0]!);
    expect(acc).toBeGreaterThan(0.9);
    tf.dispose([x, y]);
    opt.dispose();
    ram.dispose();
  });
});
