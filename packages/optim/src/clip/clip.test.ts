import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Parameter } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { SGD, clipGradNorm, clipGradValue } from '../index.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8')).clip;

describe('clipGradNorm / clipGradValue match torch.nn.utils', () => {
  for (const c of fx.norm) {
    it(`norm ${c.norm_type}, max ${c.max_norm}`, () => {
      const g0 = tf.tensor(fx.g0, fx.g0_shape);
      const g1 = tf.tensor1d(fx.g1);
      const { grads, totalNorm } = clipGradNorm([g0, g1], c.max_norm, c.norm_type);
      expectClose(totalNorm, c.total_norm, { atol: 1e-5, rtol: 1e-5 });
      expectClose(grads[0]!, c.g0, { atol: 1e-6, rtol: 1e-5 });
      expect(grads[0]!.shape).toEqual(fx.g0_shape);
      expectClose(grads[1]!, c.g1, { atol: 1e-6, rtol: 1e-5 });
      tf.dispose([g0, g1, totalNorm, ...grads]);
    });
  }

  it('clip by value', () => {
    const g = { a: tf.tensor(fx.g0, fx.g0_shape), b: tf.tensor1d(fx.g1) };
    const out = clipGradValue(g, fx.value.clip_value);
    expectClose(out.a!, fx.value.g0);
    expectClose(out.b!, fx.value.g1);
    tf.dispose([...Object.values(g), ...Object.values(out)]);
  });

  it('handles empty gradients and lists, and rejects bad arguments', () => {
    const e = tf.zeros([0, 3]);
    const g = tf.tensor1d([3, 4]);
    const r = clipGradNorm([e, g], 1, 'inf');
    expectClose(r.totalNorm, 4);
    expect(r.grads[0]!.shape).toEqual([0, 3]);
    const none = clipGradNorm([], 1);
    expectClose(none.totalNorm, 0);
    expect(() => clipGradNorm([g], -1)).toThrow(/clipGradNorm: maxNorm must be a finite number >= 0, got -1/);
    expect(() => clipGradNorm([g], 1, 0)).toThrow(/normType must be a number > 0 or 'inf', got 0/);
    expect(() => clipGradNorm([g, 'x' as never], 1)).toThrow(/clipGradNorm: grads\[1\] must be a tf\.Tensor, got string/);
    tf.dispose([e, g, r.totalNorm, ...r.grads, none.totalNorm]);
  });

  it('the optimizer clips its stored gradients in place', () => {
    const init = tf.tensor1d([3, 4]);
    const x = new Parameter(init);
    init.dispose();
    const opt = new SGD([x], { lr: 1 });
    opt.backward(() => tf.mul(0.5, tf.sum(tf.square(x))) as tf.Scalar).dispose(); // grad = x
    const norm = opt.clipGradNorm(1);
    expectClose(norm, 5);
    expectClose(opt.grad(x)!, [0.6, 0.8], { atol: 1e-6 });
    opt.clipGradValue(0.7);
    expectClose(opt.grad(x)!, [0.6, 0.7], { atol: 1e-6 });
    opt.step();
    expectClose(x, [2.4, 3.3], { atol: 1e-6 });
    norm.dispose();
    opt.dispose();
    x.dispose();
  });
});
