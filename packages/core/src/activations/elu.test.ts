import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { elu, ELU } from './elu.js';
import { selu, SELU } from './selu.js';

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

describe('elu', () => {
  it('matches F.elu incl. ±120 inputs (no inf/NaN in value or gradient)', () => {
    againstTorch('elu_1', (x) => elu(x));
    againstTorch('elu_0.5', (x) => elu(x, 0.5));
  });
  it('module and bad alpha', () => {
    tf.tidy(() => expectClose(new ELU({ alpha: 0.5 }).forward(tf.tensor1d([-100, 2])), [-0.5, 2]));
    tf.tidy(() => {
      expect(() => elu(tf.zeros([1]), Infinity)).toThrow('elu: alpha must be a finite number, got Infinity');
    });
  });
});

describe('selu', () => {
  it('matches F.selu', () => againstTorch('selu', selu));
  it('module', () => tf.tidy(() => expectClose(new SELU().forward(tf.tensor1d([1, -1])), [1.0507009873554805, 1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1)])));
});
