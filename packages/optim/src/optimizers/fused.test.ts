import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Parameter, isJsKernelBackend, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../index.js';
import { setFusedUpdates } from './_fused.js';

type Make = (p: tf.Variable[]) => Optimizer;

/** Every variant the fused kernels specialise on (weight decay, maximize, first step, momentum, centered, amsgrad, lr 0, ...). */
const VARIANTS: [string, string, Make][] = [
  ['SGD', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0.1 })],
  ['SGD wd maximize', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0.1, weightDecay: 0.2, maximize: true })],
  ['SGD momentum', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.9 })],
  ['SGD momentum dampening wd', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.1 })],
  ['SGD nesterov wd', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['SGD lr 0', 'FoveaOptimSGD', (p) => new SGD(p, { lr: 0, momentum: 0.9 })],
  ['Adagrad', 'FoveaOptimAdagrad', (p) => new Adagrad(p, { lr: 0.5 })],
  ['Adagrad lrDecay wd init maximize', 'FoveaOptimAdagrad', (p) => new Adagrad(p, { lr: 0.3, lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.2, eps: 1e-6, maximize: true })],
  ['RMSprop', 'FoveaOptimRMSprop', (p) => new RMSprop(p, { lr: 0.01 })],
  ['RMSprop centered', 'FoveaOptimRMSprop', (p) => new RMSprop(p, { lr: 0.01, alpha: 0.9, centered: true })],
  ['RMSprop momentum wd', 'FoveaOptimRMSprop', (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, weightDecay: 0.1 })],
  ['RMSprop centered momentum maximize', 'FoveaOptimRMSprop', (p) => new RMSprop(p, { lr: 0.01, alpha: 0.9, eps: 1e-3, centered: true, momentum: 0.9, maximize: true })],
  ['Adam', 'FoveaOptimAdam', (p) => new Adam(p, { lr: 0.05 })],
  ['Adam wd betas eps', 'FoveaOptimAdam', (p) => new Adam(p, { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 })],
  ['Adam amsgrad maximize', 'FoveaOptimAdam', (p) => new Adam(p, { lr: 0.05, amsgrad: true, maximize: true })],
  ['Adam lr 0', 'FoveaOptimAdam', (p) => new Adam(p, { lr: 0, weightDecay: 0.1 })],
  ['AdamW', 'FoveaOptimAdam', (p) => new AdamW(p, { lr: 0.05, weightDecay: 0.05 })],
  ['AdamW amsgrad', 'FoveaOptimAdam', (p) => new AdamW(p, { lr: 0.05, weightDecay: 0.5, amsgrad: true })],
  ['AdamW lr 0', 'FoveaOptimAdam', (p) => new AdamW(p, { lr: 0, weightDecay: 0.5 })],
];

const STEPS = 5;

/** A Parameter from a fresh tensor (the Parameter does not take ownership of its init value). */
function param(t: tf.Tensor): Parameter {
  const p = new Parameter(t);
  t.dispose();
  return p;
}
const fused = isJsKernelBackend(tf.getBackend());

interface Run {
  p: Float32Array;
  state: Record<string, Float32Array>;
  kernels: string[];
}

/** `STEPS` steps from a fixed start with fixed gradients, with the fused kernels on or off; the final parameter and state. */
async function runSteps(make: Make, shape: number[], on: boolean): Promise<Run> {
  const prev = setFusedUpdates(on);
  const gen = new Generator(7);
  const p = param(randn(shape, { generator: gen }));
  const grads = Array.from({ length: STEPS }, () => randn(shape, { generator: gen }));
  const opt = make([p]);
  const kernels: string[] = [];
  try {
    for (const g of grads) {
      const info = await tf.profile(() => opt.step({ [p.name]: g }));
      kernels.push(...info.kernelNames);
    }
    const sd = opt.stateDict();
    const state: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(sd.state[0]?.tensors ?? {})) state[k] = t.dataSync() as Float32Array;
    tf.dispose(Object.values(sd.state[0]?.tensors ?? {}));
    return { p: p.dataSync() as Float32Array, state, kernels };
  } finally {
    setFusedUpdates(prev);
    opt.dispose();
    tf.dispose([p, ...grads]);
  }
}

describe('fused optimizer updates equal the tf-op path', () => {
  afterEach(() => {
    setFusedUpdates(true);
  });

  // 63 and 1027 elements: not multiples of 4 (the SIMD loop's remainder runs in JavaScript)
  for (const shape of [[7, 9], [1027]]) {
    for (const [name, kernel, make] of VARIANTS) {
      it(`${name}, shape [${shape.join(', ')}]: parameters and state after ${STEPS} steps`, async () => {
        const ref = await runSteps(make, shape, false);
        const got = await runSteps(make, shape, true);
        expect(ref.kernels).not.toContain(kernel);
        // wasm and cpu take the fused kernel; other backends (webgpu) keep the tf-op path
        if (fused) expect(got.kernels.filter((k) => k === kernel)).toHaveLength(STEPS);
        else expect(got.kernels).not.toContain(kernel);
        expectClose(got.p, ref.p, { atol: 2e-6, rtol: 1e-5 });
        expect(Object.keys(got.state).sort()).toEqual(Object.keys(ref.state).sort());
        for (const k of Object.keys(ref.state)) expectClose(got.state[k]!, ref.state[k]!, { atol: 2e-6, rtol: 1e-5 });
      });
    }
  }

  it('a state buffer a changed hyper-parameter adds (amsgrad switched on) starts at zero, as on the tf-op path', async () => {
    const results = [];
    for (const on of [false, true]) {
      const prev = setFusedUpdates(on);
      const p = param(tf.tensor1d([1, -2, 3, 0.5, -0.25]));
      const g = tf.tensor1d([0.3, -0.1, 0.2, 0.4, -0.5]);
      const opt = new Adam([p], { lr: 0.1 });
      opt.step({ [p.name]: g });
      opt.paramGroups[0]!.amsgrad = true;
      opt.step({ [p.name]: g });
      opt.step({ [p.name]: g });
      results.push(Array.from(p.dataSync()));
      setFusedUpdates(prev);
      opt.dispose();
      tf.dispose([p, g]);
    }
    expectClose(results[1]!, results[0]!, { atol: 2e-6 });
  });

  it('resumes from a loaded state dict exactly as an uninterrupted run', () => {
    const run = (resume: boolean) => {
      const p = param(tf.tensor1d([1, -2, 3, 0.5, -0.25, 2, 1.5]));
      const g = tf.tensor1d([0.3, -0.1, 0.2, 0.4, -0.5, 0.05, 1]);
      let opt = new RMSprop([p], { lr: 0.05, centered: true, momentum: 0.9 });
      opt.step({ [p.name]: g });
      if (resume) {
        const sd = opt.stateDict();
        opt.dispose();
        opt = new RMSprop([p], { lr: 0.05, centered: true, momentum: 0.9 });
        opt.loadStateDict(sd);
        tf.dispose(Object.values(sd.state).flatMap((s) => Object.values(s.tensors)));
      }
      opt.step({ [p.name]: g });
      opt.step({ [p.name]: g });
      const out = Array.from(p.dataSync());
      opt.dispose();
      tf.dispose([p, g]);
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  it('leaks nothing: the tensor count is flat from the second step on, and back to the start after dispose', () => {
    for (const [name, , make] of VARIANTS) {
      const before = tf.memory().numTensors;
      const gen = new Generator(3);
      const p = param(randn([33], { generator: gen }));
      const g = randn([33], { generator: gen });
      const opt = make([p]);
      opt.step({ [p.name]: g });
      const afterFirst = tf.memory().numTensors;
      opt.step({ [p.name]: g });
      opt.step({ [p.name]: g });
      expect(tf.memory().numTensors, name).toBe(afterFirst);
      opt.dispose();
      tf.dispose([p, g]);
      expect(tf.memory().numTensors, name).toBe(before);
    }
  });

  it('empty parameters take the tf-op path and stay empty', () => {
    const p = param(tf.zeros([0, 3]));
    const g = tf.zeros([0, 3]);
    const opt = new Adam([p], { lr: 0.1 });
    opt.step({ [p.name]: g });
    expect(p.shape).toEqual([0, 3]);
    opt.dispose();
    tf.dispose([p, g]);
  });
});
