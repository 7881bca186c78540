import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { crossEntropy, CrossEntropyLoss } from './cross-entropy.js';
import type { Reduction } from './_common.js';

type Fx = { name: string; attrs: Record<string, number | string>; inputs: Record<string, JsonTensor>; loss: JsonTensor; seed: JsonTensor; grads: Record<string, JsonTensor> };
const fx = (JSON.parse(readFileSync(new URL('../../fixtures/core_losses.json', import.meta.url), 'utf8')) as { cases: Fx[] }).cases;

describe('crossEntropy', () => {
  for (const c of fx.filter((k) => k.name.startsWith('ce_') && k.name !== 'ce_pixels')) {
    it(`matches F.cross_entropy: ${c.name}`, () => tf.tidy(() => {
      const logits = fromJson(c.inputs.logits!);
      const target = fromJson(c.inputs.target!);
      const weight = c.inputs.weight ? fromJson(c.inputs.weight) : undefined;
      const opts = {
        reduction: c.attrs.reduction as Reduction,
        labelSmoothing: (c.attrs.label_smoothing as number) ?? 0,
        ...(weight ? { weight } : {}),
        ...(c.attrs.ignore_index !== undefined ? { ignoreIndex: c.attrs.ignore_index as number } : {}),
      };
      const seed = fromJson(c.seed);
      expectClose(crossEntropy(logits, target, opts), fromJson(c.loss), { atol: 1e-5, rtol: 1e-5 });
      const g = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(crossEntropy(l, target, opts), seed)))(logits);
      expectClose(g, fromJson(c.grads.logits!), { atol: 1e-5, rtol: 1e-5 });
    }));
  }

  it('takes per-pixel logits channels-last ([N, H, W, C] with [N, H, W] labels)', () => tf.tidy(() => {
    const c = fx.find((k) => k.name === 'ce_pixels')!;
    const nchw = fromJson(c.inputs.logits!);
    const nhwc = tf.transpose(nchw, [0, 2, 3, 1]); // [N, H, W, C]
    const labels = fromJson(c.inputs.target!);
    expectClose(crossEntropy(nhwc, labels), fromJson(c.loss), { atol: 1e-5, rtol: 1e-5 });
    const g = tf.grad((l: tf.Tensor) => tf.mul(crossEntropy(l, labels), fromJson(c.seed)))(nhwc);
    expectClose(tf.transpose(g, [0, 3, 1, 2]), fromJson(c.grads.logits!), { atol: 1e-5, rtol: 1e-5 });
  }));

  it('is stable for huge logits', () => tf.tidy(() => {
    const l = crossEntropy(tf.tensor2d([[1000, -1000], [-1000, 1000]]), tf.tensor1d([0, 0], 'int32'), { reduction: 'none' });
    expectClose(l, [0, 2000]);
  }));

  it('module', () => tf.tidy(() => {
    const loss = new CrossEntropyLoss({ labelSmoothing: 0.1 });
    expectClose(loss.forward(tf.zeros([4, 10]), tf.tensor1d([1, 2, 3, 4], 'int32')), Math.log(10), { atol: 1e-6 });
  }));

  it('rejects mismatched or wrongly typed targets', () => tf.tidy(() => {
    const logits = tf.zeros([4, 5]);
    expect(() => crossEntropy(logits, tf.zeros([3], 'int32'))).toThrow(
      'crossEntropy: target must be int32 labels of shape [4] (logits [4, 5] without its class dim), got shape [3]',
    );
    expect(() => crossEntropy(logits, tf.zeros([4]))).toThrow("crossEntropy: target must be float32 class probabilities of the logits' shape [4, 5], got shape [4]");
    expect(() => crossEntropy(logits, tf.zeros([4], 'int32'), { weight: tf.ones([4]) })).toThrow('crossEntropy: options.weight must be shape [5]');
    expect(() => crossEntropy(logits, tf.zeros([4], 'int32'), { labelSmoothing: 1.5 })).toThrow('crossEntropy: options.labelSmoothing must be a finite number >= 0 <= 1, got 1.5');
    expect(() => crossEntropy(logits, tf.zeros([4], 'int32'), { reduction: 'avg' as Reduction })).toThrow("crossEntropy: options.reduction must be one of 'mean', 'sum', 'none', got 'avg'");
  }));
});
