import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { gelu, GELU } from './gelu.js';
import { silu, SiLU } from './silu.js';
import { sigmoid, Sigmoid } from './sigmoid.js';
import { tanh, Tanh } from './tanh.js';

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

describe('gelu', () => {
  it('matches F.gelu exact and tanh (erf is a 1e-7 approximation in tfjs)', () => {
    againstTorch('gelu_none', (x) => gelu(x), 2e-5);
    againstTorch('gelu_tanh', (x) => gelu(x, 'tanh'), 2e-5);
  });
  it('module and bad mode', () => {
    tf.tidy(() => expectClose(new GELU({ approximate: 'tanh' }).forward(tf.tensor1d([0, 1])), [0, 0.8411920070648193]));
    expect(() => new GELU({ approximate: 'erf' as 'none' })).toThrow("GELU: options.approximate must be one of 'none', 'tanh', got 'erf'");
  });
});

describe('silu, sigmoid, tanh', () => {
  it('match PyTorch', () => {
    againstTorch('silu', silu);
    againstTorch('sigmoid', sigmoid);
    againstTorch('tanh', tanh);
  });
  it('modules', () => tf.tidy(() => {
    const x = tf.tensor1d([0]);
    expectClose(new SiLU().forward(x), [0]);
    expectClose(new Sigmoid().forward(x), [0.5]);
    expectClose(new Tanh().forward(x), [0]);
  }));
});
