import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { elasticNet } from './elastic-net.js';
import { l1 } from './l1.js';
import { l2 } from './l2.js';
import { weightDecay } from './weight-decay.js';

class Affine extends Module<[tf.Tensor], tf.Tensor> {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor() {
    super();
    this.weight = this.registerParameter('weight', tf.tensor2d([[1, -2], [3, 0]]));
    this.bias = this.registerParameter('bias', tf.tensor1d([0.5, -0.5]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.weight), this.bias);
  }
}

describe('l1 / l2 / elasticNet', () => {
  it('sum over one tensor, a list, or a module, with gradients sign(w), 2w, 2βw + sign(w)', () => tf.tidy(() => {
    const w = tf.tensor2d([[1, -2], [0, 3]]);
    expectClose(l1(w), 6);
    expectClose(l2(w), 14);
    expectClose(elasticNet(w, 0.5), 0.5 * 14 + 6);
    expectClose(tf.grad((t: tf.Tensor) => l1(t))(w), [[1, -1], [0, 1]]); // 0 at 0, as PyTorch's |w|
    expectClose(tf.grad((t: tf.Tensor) => l2(t))(w), [[2, -4], [0, 6]]);
    expectClose(tf.grad((t: tf.Tensor) => elasticNet(t, 0.5))(w), [[2, -3], [0, 4]]);
    expectClose(l2([w, tf.tensor1d([2])]), 18);
    expectClose(l1([]), 0);
  }));
  it('take a module’s parameters', () => {
    const m = new Affine();
    tf.tidy(() => {
      expectClose(l1(m), 7);
      expectClose(l2(m), 14.5);
    });
    m.dispose();
  });
  it('reject bad input', () => tf.tidy(() => {
    expect(() => l2(tf.tensor1d([1], 'int32'))).toThrow('l2: w must be dtype float32, got dtype int32');
    expect(() => l1([tf.zeros([1]), 3 as unknown as tf.Tensor])).toThrow('l1: w[1] must be a tf.Tensor, got number');
    expect(() => elasticNet(tf.zeros([1]), -1)).toThrow('elasticNet: beta must be a finite number >= 0, got -1');
  }));
});

describe('weightDecay', () => {
  it('is (λ/2)·Σw², so its gradient is λ·w as torch.optim.SGD(weight_decay=λ) adds', () => tf.tidy(() => {
    const w = tf.tensor1d([2, -1]);
    expectClose(weightDecay(w, 0.1), 0.25);
    expectClose(tf.grad((t: tf.Tensor) => weightDecay(t, 0.1))(w), [0.2, -0.1]);
  }));
  it('on a module: trainable parameters, optionally skipping biases', () => {
    const m = new Affine();
    tf.tidy(() => {
      expectClose(weightDecay(m, 1), 14.5 / 2);
      expectClose(weightDecay(m, 1, { skip1d: true }), 14 / 2);
      m.bias.requiresGrad = false;
      expectClose(weightDecay(m, 1), 14 / 2);
    });
    m.dispose();
  });
});
