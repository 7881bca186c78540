import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { bceWithLogits, BCEWithLogitsLoss } from './bce-with-logits.js';
import type { Reduction } from './_common.js';

type Fx = { name: string; attrs: Record<string, number | string>; inputs: Record<string, JsonTensor>; loss: JsonTensor; seed: JsonTensor; grads: Record<string, JsonTensor> };
const fx = (JSON.parse(readFileSync(new URL('../../fixtures/core_losses.json', import.meta.url), 'utf8')) as { cases: Fx[] }).cases;

describe('bceWithLogits', () => {
  for (const c of fx.filter((k) => k.name.startsWith('bce_'))) {
    it(`matches F.binary_cross_entropy_with_logits (${c.name}, logits up to ±80)`, () => tf.tidy(() => {
      const [x, t] = [fromJson(c.inputs.input!), fromJson(c.inputs.target!)];
      const opts = {
        reduction: c.attrs.reduction as Reduction,
        ...(c.inputs.pos_weight ? { posWeight: fromJson(c.inputs.pos_weight) } : {}),
        ...(c.inputs.weight ? { weight: fromJson(c.inputs.weight) } : {}),
      };
      const seed = fromJson(c.seed);
      expectClose(bceWithLogits(x, t, opts), fromJson(c.loss), { atol: 1e-5, rtol: 1e-5 });
      const [gx, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bceWithLogits(a, b, opts), seed)))([x, t]);
      expectClose(gx!, fromJson(c.grads.input!), { atol: 1e-5, rtol: 1e-5 });
      expectClose(gt!, fromJson(c.grads.target!), { atol: 1e-5, rtol: 1e-4 });
    }));
  }
  it('module', () => tf.tidy(() => {
    expectClose(new BCEWithLogitsLoss().forward(tf.tensor1d([0]), tf.tensor1d([0])), Math.LN2);
  }));
  it('rejects bad shapes', () => tf.tidy(() => {
    const x = tf.zeros([2, 3]);
    expect(() => bceWithLogits(x, tf.zeros([3, 2]))).toThrow('bceWithLogits: target must be the shape of input [2, 3], got shape [3, 2]');
    expect(() => bceWithLogits(x, x, { posWeight: tf.ones([2]) })).toThrow('bceWithLogits: options.posWeight must be shape [3] (the last dim of input [2, 3]), got shape [2]');
    expect(() => bceWithLogits(x, x, { weight: tf.ones([2, 1, 1]) })).toThrow('bceWithLogits: options.weight must be a shape that broadcasts to input [2, 3], got shape [2, 1, 1]');
  }));
});
