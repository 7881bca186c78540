/** Activations on every backend lane (cpu, wasm, webgpu): values and gradients against closed forms. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { elu } from './elu.js';
import { gelu } from './gelu.js';
import { leakyRelu } from './leaky-relu.js';
import { logSoftmax } from './log-softmax.js';
import { maxout } from './maxout.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { selu } from './selu.js';
import { softmax } from './softmax.js';
import { softplus } from './softplus.js';
import { silu } from './silu.js';

async function read(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function close(got: number[], want: number[], tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

const X = [-100, -1, -0.5, 0.5, 2, 100];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const erf = (v: number) => {
  // Abramowitz–Stegun 7.1.26 is too coarse for a reference; use a series/continued fraction via Math
  let sum = v;
  let term = v;
  for (let n = 1; n < 200; n++) {
    term *= (-v * v) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

describe('activations (all backends)', () => {
  it('elementwise functions and their gradients', async () => {
    const x = tf.tensor1d(X);
    const small = X.map((v) => Math.max(-6, Math.min(6, v)));
    const xs = tf.tensor1d(small);
    close(await read(relu(x)), X.map((v) => Math.max(v, 0)));
    close(await read(leakyRelu(x, 1.5)), X.map((v) => (v > 0 ? v : 1.5 * v)));
    close(await read(elu(x, 0.5)), X.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))));
    close(await read(tf.grad((t: tf.Tensor) => tf.sum(elu(t, 0.5)))(x)), X.map((v) => (v > 0 ? 1 : 0.5 * Math.exp(v))));
    close(await read(selu(x)), X.map((v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v))));
    close(await read(softplus(x, { beta: 2, threshold: 3 })), X.map((v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2)));
    close(await read(tf.grad((t: tf.Tensor) => tf.sum(softplus(t)))(x)), X.map((v) => (v > 20 ? 1 : sig(v))));
    close(await read(silu(xs)), small.map((v) => v * sig(v)));
    close(await read(gelu(xs)), small.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))));
    close(await read(gelu(xs, 'tanh')), small.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))));
    tf.dispose([x, xs]);
  });

  it('prelu (value and both gradients) and maxout', async () => {
    const x = tf.tensor2d([[-2, 3], [1, -4]]); // [N=2, C=2]
    const w = tf.tensor1d([0.1, 0.5]);
    close(await read(prelu(x, w)), [-0.2, 3, 1, -2]);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(prelu(a, b)))([x, w]);
    close(await read(gx!), [0.1, 1, 1, 0.5]);
    close(await read(gw!), [-2, -4]);
    const m = tf.tensor2d([[1, -2, 3, 5]]);
    close(await read(maxout(m, 2)), [1, 5]);
    tf.dispose([x, w, m]);
  });

  it('softmax / logSoftmax along a middle dim with huge logits', async () => {
    const x = tf.tensor3d([[[1000], [1000 + Math.log(3)]], [[-5], [-5]]]); // [2, 2, 1], softmax over dim 1
    close(await read(softmax(x, 1)), [0.25, 0.75, 0.5, 0.5]);
    close(await read(logSoftmax(x, 1)), [Math.log(0.25), Math.log(0.75), -Math.LN2, -Math.LN2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(logSoftmax(t, 1), tf.tensor3d([[[1], [0]], [[0], [0]]]))))(x);
    close(await read(g), [0.75, -0.75, 0, 0]);
    x.dispose();
  });
});
