import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { conv2dWeightLayout, linearWeightLayout } from '../interop/layout.js';
import { Parameter } from '../nn/parameter.js';
import { Generator } from '../random/generator.js';
import { defaultBiasInit, defaultWeightInit } from './default-init.js';
import { computeFans } from './fans.js';
import { calculateGain, type Nonlinearity } from './gain.js';
import { kaimingNormal, kaimingUniform } from './kaiming.js';
import { smallRandom } from './small-random.js';
import { xavierNormal, xavierUniform } from './xavier.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_activations.json', import.meta.url), 'utf8')) as {
  fans: { torch_shape: number[]; fan_in: number; fan_out: number }[];
  gains: { nonlinearity: Nonlinearity; param: number | null; gain: number }[];
};

function stats(t: tf.Tensor): { min: number; max: number; mean: number; std: number } {
  const v = t.dataSync();
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    s += x;
    s2 += x * x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = s / v.length;
  return { min, max, mean, std: Math.sqrt(s2 / v.length - mean * mean) };
}

describe('computeFans / calculateGain', () => {
  it('match torch.nn.init', () => {
    for (const f of fx.fans) expect(computeFans(f.torch_shape)).toEqual({ fanIn: f.fan_in, fanOut: f.fan_out });
    for (const g of fx.gains) expect(calculateGain(g.nonlinearity, g.param ?? undefined)).toBeCloseTo(g.gain, 12);
  });
  it('read internal shapes through a layout', () => {
    expect(computeFans([3, 3, 16, 32], conv2dWeightLayout)).toEqual({ fanIn: 144, fanOut: 288 });
    expect(computeFans([784, 10], linearWeightLayout)).toEqual({ fanIn: 784, fanOut: 10 });
  });
  it('reject bad input', () => {
    expect(() => computeFans([5])).toThrow('computeFans: shape must be rank >= 2 (fans are not defined for fewer than 2 dimensions), got shape [5]');
    expect(() => calculateGain('softmax' as Nonlinearity)).toThrow("calculateGain: nonlinearity must be one of 'linear'");
  });
});

describe('kaiming / xavier / small random', () => {
  const g = () => new Generator(123);
  it('kaimingUniform: U(±gain·√(3/fan_in)) from the PyTorch shape', () => {
    const w = kaimingUniform([3, 3, 64, 128], { layout: conv2dWeightLayout, nonlinearity: 'relu', generator: g() });
    const b = Math.sqrt(2) * Math.sqrt(3 / (64 * 9));
    const s = stats(w);
    expect(w.shape).toEqual([3, 3, 64, 128]);
    expect(s.min).toBeGreaterThanOrEqual(-b);
    expect(s.max).toBeLessThanOrEqual(b);
    expect(s.max).toBeGreaterThan(0.99 * b);
    expect(s.std).toBeCloseTo(b / Math.sqrt(3), 3);
    w.dispose();
  });
  it('kaimingNormal with fan_out and leaky_relu a', () => {
    const w = kaimingNormal([200, 300], { mode: 'fan_out', a: 0.2, generator: g() }); // torch shape [out=200, in=300]
    const s = stats(w);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect(s.std / (Math.sqrt(2 / 1.04) / Math.sqrt(200))).toBeCloseTo(1, 1);
    w.dispose();
  });
  it('xavierUniform / xavierNormal', () => {
    const u = xavierUniform([100, 300], { gain: 2, generator: g() });
    const b = 2 * Math.sqrt(6 / 400);
    expect(stats(u).max).toBeLessThanOrEqual(b);
    expect(stats(u).std).toBeCloseTo(b / Math.sqrt(3), 3);
    const n = xavierNormal([100, 300], { generator: g() });
    expect(stats(n).std / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    tf.dispose([u, n]);
  });
  it('smallRandom is 0.01·N(0, 1)', () => {
    const w = smallRandom([300, 100], { generator: g() });
    expect(stats(w).std).toBeCloseTo(0.01, 3);
    w.dispose();
  });
  it('draws in PyTorch order, so the same seed gives the same torch-layout weight whatever the layout', () => {
    const internal = kaimingUniform([3, 3, 2, 4], { layout: conv2dWeightLayout, generator: new Generator(7) });
    const torchDirect = kaimingUniform([4, 2, 3, 3], { generator: new Generator(7) });
    const converted = conv2dWeightLayout.toTorch(internal);
    expect(Array.from(converted.dataSync())).toEqual(Array.from(torchDirect.dataSync()));
    tf.dispose([internal, torchDirect, converted]);
  });
  it('fills a Parameter in place using its own layout', () => {
    const zeros = tf.zeros([784, 10]);
    const p = new Parameter(zeros, { layout: linearWeightLayout });
    zeros.dispose();
    const back = defaultWeightInit(p, { generator: g() });
    expect(back).toBe(p);
    const s = stats(p);
    expect(s.max).toBeLessThanOrEqual(1 / Math.sqrt(784)); // a = √5 gives b = 1/√fan_in
    expect(s.max).toBeGreaterThan(0.99 / Math.sqrt(784));
    p.dispose();
  });
  it('defaultBiasInit: U(±1/√fan_in), zero when fan_in is 0', () => {
    const b = defaultBiasInit([1000], 16, { generator: g() });
    const s = stats(b);
    expect(s.max).toBeLessThanOrEqual(0.25);
    expect(s.min).toBeGreaterThanOrEqual(-0.25);
    expect(s.max).toBeGreaterThan(0.24);
    const z = defaultBiasInit([3], 0);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([b, z]);
  });
  it('is reproducible from a seed and handles empty shapes', () => {
    const a = xavierNormal([4, 5], { generator: new Generator(1) });
    const b = xavierNormal([4, 5], { generator: new Generator(1) });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const e = kaimingUniform([0, 5]);
    expect(e.shape).toEqual([0, 5]);
    tf.dispose([a, b, e]);
  });
  it('rejects bad targets and options', () => {
    expect(() => kaimingUniform([4])).toThrow('computeFans: shape must be rank >= 2');
    expect(() => kaimingUniform([4, -1])).toThrow('kaimingUniform: target must be a shape (non-negative integers) or a tf.Variable');
    expect(() => kaimingNormal([4, 4], { mode: 'fan_avg' as 'fan_in' })).toThrow("kaimingNormal: options.mode must be one of 'fan_in', 'fan_out', got 'fan_avg'");
    expect(() => smallRandom([2, 2], { std: -1 })).toThrow('smallRandom: options.std must be a finite number >= 0, got -1');
  });
});
