import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { Parameter } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Adagrad, Adam, AdamW, RMSprop, SGD, loadOptimizer, registerOptimizers, saveOptimizer, type Optimizer } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'fovea-optim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function param(t: tf.Tensor): Parameter {
  const p = new Parameter(t);
  t.dispose();
  return p;
}

type Make = (ps: tf.Variable[]) => Optimizer;
const MAKERS: [string, Make][] = [
  ['SGD nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.1 })],
  ['RMSprop centered', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 })],
  ['Adam amsgrad', (ps) => new Adam(ps, { lr: 0.05, amsgrad: true })],
  ['AdamW', (ps) => new AdamW([{ params: ps.slice(0, 1) }, { params: ps.slice(1), lr: 0.01 }], { lr: 0.05 })],
];

function setup() {
  const w = param(tf.tensor2d([[0.5, -1], [2, 0.3]]));
  const b = param(tf.tensor1d([0.1, -0.2]));
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2]]);
  const loss = () => tf.tidy(() => tf.sum(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), 0.5))) as tf.Scalar);
  return { ps: [w, b], loss, dispose: () => tf.dispose([w, b, x]) };
}

function train(opt: Optimizer, loss: () => tf.Scalar, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    opt.backward(loss).dispose();
    opt.step();
  }
}

describe('optimizer state: resuming equals an uninterrupted run', () => {
  for (const [name, make] of MAKERS) {
    it(`${name}: stateDict → safetensors file → loadStateDict`, async () => {
      const a = setup();
      const optA = make(a.ps);
      train(optA, a.loss, 5);
      const b = setup();
      const optB = make(b.ps);
      train(optB, b.loss, 3);
      const path = join(dir, `${name.replace(/ /g, '_')}.safetensors`);
      await saveOptimizer(optB, path);
      const wB = b.ps.map((p) => tf.clone(p));
      optB.dispose();
      b.dispose();
      // a fresh process: new parameters with the saved values, a new optimizer, the saved state
      const c = setup();
      c.ps.forEach((p, i) => p.assign(wB[i]!));
      tf.dispose(wB);
      const optC = make(c.ps);
      await loadOptimizer(optC, path);
      expect(optC.iterations).toBe(3);
      train(optC, c.loss, 2);
      c.ps.forEach((p, i) => expectClose(p, a.ps[i]!, { atol: 1e-6, rtol: 1e-5 }));
      [optA, optC].forEach((o) => o.dispose());
      a.dispose();
      c.dispose();
    });
  }

  it('rejects a state of another optimizer or other groups before changing anything', () => {
    const a = setup();
    const adam = new Adam(a.ps, { lr: 0.1 });
    train(adam, a.loss, 1);
    const sd = adam.stateDict();
    const sgd = new SGD(a.ps, { lr: 0.1 });
    expect(() => sgd.loadStateDict(sd)).toThrow(/SGD\.loadStateDict: stateDict\.className must be 'FoveaSGD', got 'FoveaAdam'/);
    const one = new Adam([a.ps[0]!], { lr: 0.1 });
    expect(() => one.loadStateDict(sd)).toThrow(/groups of sizes \[1\], got groups of sizes \[2\]/);
    for (const e of Object.values(sd.state)) tf.dispose(Object.values(e.tensors));
    [adam, sgd, one].forEach((o) => o.dispose());
    a.dispose();
  });

  it('getWeights/setWeights round-trip (tf.Optimizer API)', async () => {
    const a = setup();
    const opt = new RMSprop(a.ps, { lr: 0.01, momentum: 0.9 });
    train(opt, a.loss, 2);
    const weights = await opt.getWeights();
    expect(weights[0]!.name).toBe('iter');
    expect(weights.map((w) => w.name.split('/').pop())).toContain('square_avg');
    const copy = weights.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    tf.dispose([weights[0]!.tensor, ...weights.filter((w) => w.name.endsWith('/step')).map((w) => w.tensor)]);
    const opt2 = new RMSprop(a.ps, { lr: 0.01, momentum: 0.9 });
    await opt2.setWeights(copy);
    expect(opt2.iterations).toBe(2);
    const sd1 = opt.stateDict();
    const sd2 = opt2.stateDict();
    expect(Object.keys(sd2.state)).toEqual(Object.keys(sd1.state));
    for (const k of Object.keys(sd1.state)) {
      expect(sd2.state[+k]!.step).toBe(2);
      for (const n of Object.keys(sd1.state[+k]!.tensors)) expectClose(sd2.state[+k]!.tensors[n]!, sd1.state[+k]!.tensors[n]!);
    }
    for (const sd of [sd1, sd2]) for (const e of Object.values(sd.state)) tf.dispose(Object.values(e.tensors));
    tf.dispose(copy.map((c) => c.tensor));
    opt.dispose();
    opt2.dispose();
    a.dispose();
  });
});

describe('tfjs-layers models train with Fovea optimizers', () => {
  const OPTS: [string, () => Optimizer][] = [
    ['SGD', () => new SGD({ lr: 0.1, momentum: 0.9 })],
    ['Adagrad', () => new Adagrad({ lr: 0.3 })],
    ['RMSprop', () => new RMSprop({ lr: 0.01 })],
    ['Adam', () => new Adam({ lr: 0.05 })],
    ['AdamW', () => new AdamW({ lr: 0.05, weightDecay: 0.01 })],
  ];
  for (const [name, make] of OPTS) {
    it(`${name}: model.compile + fit lowers the loss`, async () => {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: 'glorotNormal' }), tfl.layers.dense({ units: 1 })],
      });
      const opt = make();
      model.compile({ optimizer: opt, loss: 'meanSquaredError' });
      const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.8]]);
      const y = tf.tensor2d([[0], [1], [1], [0], [0.5], [0.6]]);
      const hist = await model.fit(x, y, { epochs: 40, batchSize: 6, verbose: 0 });
      const losses = hist.history['loss'] as number[];
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.7);
      expect(opt.iterations).toBe(40);
      expect(opt.parameters().length).toBe(4); // adopted the model's kernels and biases
      tf.dispose([x, y]);
      model.dispose();
      opt.dispose();
    });
  }

  it('serializes through tf.serialization (getConfig / fromConfig)', () => {
    registerOptimizers();
    const opt = new Adam({ lr: 0.02, betas: [0.8, 0.99], amsgrad: true });
    const cls = tf.serialization.SerializationMap.getMap().classNameMap['FoveaAdam']!;
    const copy = cls[1](cls[0], opt.getConfig()) as Adam;
    expect(copy).toBeInstanceOf(Adam);
    expect(copy.defaults).toEqual(opt.defaults);
    opt.dispose();
    copy.dispose();
  });
});
