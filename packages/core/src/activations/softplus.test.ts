import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { softplus, Softplus, stableSoftplus } from './softplus.js';

type Fx = { name: string; x: JsonTensor; y: JsonTensor; dy: JsonTensor; dx: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_activations.json', import.meta.url), 'utf8')) as { activations: Fx[] };

function againstTorch(name: string, fn: (x: tf.Tensor) => tf.Tensor, tol = 1e-5): void {
  const c = fx.activations.find((a) => a.name === name)!;
  tf.tidy(() => {
    const [x, dy] = [fromJson(c.x), fromJson(c.dy)];
    expectClose(fn(x), fromJson(c.y), { atol: tol, rtol: tol });
    expectClose(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fn(t), dy)))(x), fromJson(c.dx), { atol: tol, rtol: tol });
  });
}

describe('softplus', () => {
  it('matches F.softplus for several beta/threshold pairs, no overflow above the threshold', () => {
    againstTorch('softplus_1_20', (x) => softplus(x));
    againstTorch('softplus_2_3', (x) => softplus(x, { beta: 2, threshold: 3 }));
    againstTorch('softplus_0.5_50', (x) => softplus(x, { beta: 0.5, threshold: 50 }));
  });
  it('the internal stable form never overflows', () => tf.tidy(() => {
    const x = tf.tensor1d([-1000, 0, 1000]);
    expectClose(stableSoftplus(x), [0, Math.LN2, 1000]);
    expectClose(tf.grad((t: tf.Tensor) => tf.sum(stableSoftplus(t)))(x), [0, 0.5, 1]);
  }));
  it('module and bad beta', () => {
    tf.tidy(() => expectClose(new Softplus({ beta: 2 }).forward(tf.tensor1d([0])), [Math.LN2 / 2]));
    expect(() => new Softplus({ beta: 0 })).toThrow('Softplus: options.beta must be a finite number > 0, got 0');
  });
});
