import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, Generator, manualSeed } from './generator.js';
import { bernoulli, randint, randn, randperm, uniform } from './sampling.js';

describe('Generator', () => {
  it('is reproducible from a seed and differs between seeds', () => {
    const a = new Generator(123);
    const b = new Generator(123);
    const c = new Generator(124);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('has sane uniform and normal statistics', () => {
    const g = new Generator(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let m = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const u = g.random();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
      const z = g.normal();
      m += z;
      m2 += z * z;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(m / n).toBeCloseTo(0, 2);
    expect(m2 / n).toBeCloseTo(1, 1);
  });

  it('saves and restores its state', () => {
    const g = new Generator(5);
    g.normal();
    const st = g.getState();
    const x = [g.normal(), g.random(), g.nextUint32()];
    g.setState(st);
    expect([g.normal(), g.random(), g.nextUint32()]).toEqual(x);
  });

  it('draws unbiased integers and permutations', () => {
    const g = new Generator(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[g.randint(0, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const p = Array.from(g.permutation(50)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad seeds and ranges', () => {
    expect(() => new Generator(-1)).toThrow(FoveaError);
    expect(() => new Generator(1.5)).toThrow(/seed must be a non-negative safe integer/);
    expect(() => new Generator().randint(3, 3)).toThrow(FoveaError);
  });
});

describe('random tensors', () => {
  it('come from the default generator and are reproducible with manualSeed', () => {
    manualSeed(42);
    const a = randn([3, 4]);
    manualSeed(42);
    const b = randn([3, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(defaultGenerator().initialSeed()).toBe(42);
    tf.dispose([a, b]);
  });

  it('have the requested shapes, dtypes and ranges', () => {
    const g = new Generator(3);
    const u = uniform([100], -2, 3, { generator: g });
    const d = u.dataSync();
    expect(Math.min(...d)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...d)).toBeLessThan(3);
    const r = randint(0, 5, [2, 50], { generator: g });
    expect(r.dtype).toBe('int32');
    expect(Math.max(...r.dataSync())).toBeLessThanOrEqual(4);
    const m = bernoulli([1000], 0.25, { generator: g });
    const mean = m.dataSync().reduce((s, v) => s + v, 0) / 1000;
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.06);
    const z = randn([4000], { mean: 2, std: 0.5, generator: g });
    const zm = z.dataSync().reduce((s, v) => s + v, 0) / 4000;
    expect(zm).toBeCloseTo(2, 1);
    expect(randperm(4, { generator: g }).length).toBe(4);
    expect(() => uniform([2, -1])).toThrow(/shape must be non-negative integer dims, got \[2, -1\]/);
    expect(() => bernoulli([2], 1.5)).toThrow(FoveaError);
    tf.dispose([u, r, m, z]);
  });
});
