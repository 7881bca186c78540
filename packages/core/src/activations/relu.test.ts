import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { ReLU, relu } from './relu.js';
import { leakyRelu, LeakyReLU } from './leaky-relu.js';

type Fx = { name: string; x: JsonTensor; y: JsonTensor; dy: JsonTensor; dx: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_activations.json', import.meta.url), 'utf8')) as { activations: Fx[] };

/** Checks `fn` (forward and gradient) against the PyTorch fixture `name`. */
function againstTorch(name: string, fn: (x: tf.Tensor) => tf.Tensor, tol = 1e-5): void {
  const c = fx.activations.find((a) => a.name === name)!;
  tf.tidy(() => {
    const [x, dy] = [fromJson(c.x), fromJson(c.dy)];
    expectClose(fn(x), fromJson(c.y), { atol: tol, rtol: tol });
    expectClose(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fn(t), dy)))(x), fromJson(c.dx), { atol: tol, rtol: tol });
  });
}

describe('relu', () => {
  it('matches F.relu, gradient 0 at 0', () => againstTorch('relu', relu));
  it('module', () => tf.tidy(() => expectClose(new ReLU().forward(tf.tensor1d([-2, 0, 3])), [0, 0, 3])));
  it('rejects non-float input', () => {
    const x = tf.tensor1d([1], 'int32');
    expect(() => relu(x)).toThrow('relu: x must be dtype float32, got dtype int32');
    x.dispose();
  });
});

describe('leakyRelu', () => {
  it('matches F.leaky_relu (0.01 and a slope above 1)', () => {
    againstTorch('leaky_relu_0.01', (x) => leakyRelu(x));
    againstTorch('leaky_relu_1.5', (x) => leakyRelu(x, 1.5));
  });
  it('module and bad slope', () => {
    tf.tidy(() => expectClose(new LeakyReLU({ negativeSlope: 0.2 }).forward(tf.tensor1d([-1, 1])), [-0.2, 1]));
    expect(() => new LeakyReLU({ negativeSlope: NaN })).toThrow('LeakyReLU: options.negativeSlope must be a finite number, got NaN');
  });
});
