import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { smoothL1Loss, SmoothL1Loss } from './smooth-l1-loss.js';
import { huberLoss, HuberLoss } from './huber-loss.js';
import type { Reduction } from './_common.js';

type Fx = { name: string; attrs: Record<string, number | string>; inputs: Record<string, JsonTensor>; loss: JsonTensor; seed: JsonTensor; grads: Record<string, JsonTensor> };
const fx = (JSON.parse(readFileSync(new URL('../../fixtures/core_losses.json', import.meta.url), 'utf8')) as { cases: Fx[] }).cases;

function check(c: Fx, fn: (x: tf.Tensor, t: tf.Tensor) => tf.Tensor): void {
  tf.tidy(() => {
    const [x, t, seed] = [fromJson(c.inputs.input!), fromJson(c.inputs.target!), fromJson(c.seed)];
    expectClose(fn(x, t), fromJson(c.loss), { atol: 1e-6, rtol: 1e-5 });
    const [gx, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fn(a, b), seed)))([x, t]);
    expectClose(gx!, fromJson(c.grads.input!), { atol: 1e-6, rtol: 1e-5 });
    expectClose(gt!, fromJson(c.grads.target!), { atol: 1e-6, rtol: 1e-5 });
  });
}

describe('smoothL1Loss', () => {
  for (const c of fx.filter((k) => k.name.startsWith('smooth_l1_'))) {
    it(`matches F.smooth_l1_loss with beta ${c.attrs.beta} (incl. d = 0 and d = beta)`, () =>
      check(c, (x, t) => smoothL1Loss(x, t, { beta: c.attrs.beta as number, reduction: c.attrs.reduction as Reduction })));
  }
  it('module and bad beta', () => {
    tf.tidy(() => expectClose(new SmoothL1Loss({ beta: 0 }).forward(tf.tensor1d([1, -3]), tf.zeros([2])), 2));
    expect(() => new SmoothL1Loss({ beta: -1 })).toThrow('SmoothL1Loss: options.beta must be a finite number >= 0, got -1');
  });
});

describe('huberLoss', () => {
  for (const c of fx.filter((k) => k.name.startsWith('huber_'))) {
    it(`matches F.huber_loss with delta ${c.attrs.delta}`, () =>
      check(c, (x, t) => huberLoss(x, t, { delta: c.attrs.delta as number, reduction: c.attrs.reduction as Reduction })));
  }
  it('module and bad delta', () => {
    tf.tidy(() => expectClose(new HuberLoss().forward(tf.tensor1d([3]), tf.zeros([1])), 2.5));
    expect(() => new HuberLoss({ delta: 0 })).toThrow('HuberLoss: options.delta must be a finite number > 0, got 0');
  });
});
