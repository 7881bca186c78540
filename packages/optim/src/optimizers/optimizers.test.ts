import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FoveaError, Parameter } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../index.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8'));
const P = fx.problem;

const SNAKE: Record<string, string> = { weight_decay: 'weightDecay', lr_decay: 'lrDecay', initial_accumulator_value: 'initialAccumulatorValue' };
const CLASSES: Record<string, new (p: never, o: never) => Optimizer> = { SGD, Adagrad, RMSprop, Adam, AdamW } as never;

/** A Parameter from a fresh tensor (the Parameter does not take ownership of its init value). */
function param(t: tf.Tensor): Parameter {
  const p = new Parameter(t);
  t.dispose();
  return p;
}

function camel(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [SNAKE[k] ?? k, v]));
}

function problem() {
  const X = tf.tensor2d(P.X, [P.n, P.d_in]);
  const Y = tf.tensor2d(P.Y, [P.n, P.d_out]);
  const w = param(tf.tensor2d(P.W0, [P.d_in, P.d_out]));
  const b = param(tf.tensor1d(P.B0));
  const loss = () =>
    tf.tidy(() => {
      const r = tf.sub(tf.add(tf.matMul(X, w), b), Y); // [N, D_OUT]
      return tf.add(tf.div(tf.mul(0.5, tf.sum(tf.square(r))), P.n), tf.mul(0.1, tf.sum(tf.sin(w)))) as tf.Scalar;
    });
  return { w, b, loss, dispose: () => tf.dispose([X, Y, w, b]) };
}

describe('optimizers match torch.optim (two parameter groups)', () => {
  for (const t of fx.trajectories) {
    it(`${t.optimizer} ${JSON.stringify(t.options)}`, () => {
      const pr = problem();
      const opts = camel(t.options);
      const Cls = CLASSES[t.optimizer]!;
      const opt = new Cls([{ params: [pr.w] }, { params: [pr.b], lr: (opts.lr as number) * 0.5, weightDecay: 0 }] as never, opts as never);
      for (let s = 0; s < P.steps; s++) {
        opt.zeroGrad();
        const l = opt.backward(pr.loss);
        expectClose(l, t.losses[s], { atol: 1e-4, rtol: 1e-4 });
        l.dispose();
        opt.step();
        expectClose(pr.w, t.w[s], { atol: 2e-5, rtol: 1e-4 });
        expectClose(pr.b, t.b[s], { atol: 2e-5, rtol: 1e-4 });
      }
      expect(opt.iterations).toBe(P.steps);
      opt.dispose();
      pr.dispose();
    });
  }
});

describe('Optimizer API', () => {
  it('step(grads) equals backward + step, and minimize equals both', () => {
    const runs = ['backward', 'grads', 'minimize'].map((mode) => {
      const pr = problem();
      const opt = new Adam([pr.w, pr.b], { lr: 0.05 });
      for (let s = 0; s < 3; s++) {
        if (mode === 'backward') {
          opt.zeroGrad();
          opt.backward(pr.loss).dispose();
          opt.step();
        } else if (mode === 'grads') {
          const { value, grads } = tf.variableGrads(pr.loss, [pr.w, pr.b]);
          opt.step(grads);
          tf.dispose([value, ...Object.values(grads)]);
        } else {
          const l = opt.minimize(pr.loss, true);
          l?.dispose();
        }
      }
      const out = Array.from(pr.w.dataSync());
      opt.dispose();
      pr.dispose();
      return out;
    });
    expectClose(runs[1]!, runs[0]!, { atol: 1e-6 });
    expectClose(runs[2]!, runs[0]!, { atol: 1e-6 });
  });

  it('backward accumulates until zeroGrad, as loss.backward() does', () => {
    const x = param(tf.tensor1d([1, 2]));
    const opt = new SGD([x], { lr: 0.1 });
    const f = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.backward(f).dispose();
    opt.backward(f).dispose();
    expectClose(opt.grad(x)!, [4, 8]); // 2 · 2x
    opt.step();
    expectClose(x, [0.6, 1.2]);
    opt.zeroGrad();
    expect(opt.grad(x)).toBeUndefined();
    opt.step(); // no gradients: nothing moves
    expectClose(x, [0.6, 1.2]);
    opt.dispose();
    x.dispose();
  });

  it('skips frozen parameters and parameters without gradients', () => {
    const a = param(tf.tensor1d([1]));
    const b = param(tf.tensor1d([1]));
    const c = param(tf.tensor1d([1]));
    b.requiresGrad = false;
    const opt = new SGD([a, b, c], { lr: 0.5 });
    opt.backward(() => tf.add(tf.sum(tf.square(a)), tf.sum(tf.square(b))) as tf.Scalar).dispose();
    opt.step();
    expectClose(a, [0]);
    expectClose(b, [1]);
    expectClose(c, [1]);
    opt.dispose();
    tf.dispose([a, b, c]);
  });

  it('rejects bad hyper-parameters, groups and gradients with FoveaErrors', () => {
    const x = param(tf.zeros([2]));
    expect(() => new SGD([x], { lr: -1 })).toThrow(/SGD: options\.lr must be a finite number >= 0, got -1/);
    expect(() => new SGD([x], { nesterov: true })).toThrow(/momentum > 0 and dampening 0/);
    expect(() => new Adam([x], { betas: [0.9, 1] })).toThrow(/Adam: options\.betas\[1\] must be a finite number >= 0 < 1, got 1/);
    expect(() => new RMSprop([x], { alpha: 2 })).toThrow(FoveaError);
    expect(() => new Adagrad([], {})).toThrow(/at least one parameter/);
    expect(() => new Adam([{ params: [x] }, { params: [x] }])).toThrow(/a parameter in no other group/);
    expect(() => new AdamW([{ params: [x], lr: NaN }])).toThrow(/paramGroups\[0\]\.lr must be a finite number >= 0, got NaN/);
    const opt = new SGD([x], { lr: 0.1 });
    const g = tf.zeros([3]);
    expect(() => opt.step({ [x.name]: g })).toThrow(/SGD\.step: grads\['.*'\] must be the parameter's shape \[2\], got shape \[3\]/);
    const other = param(tf.zeros([2]));
    const og = tf.zeros([2]);
    expect(() => opt.step(new Map([[other, og]]))).toThrow(/a gradient for a parameter of this optimizer/);
    tf.dispose([g, og, other, x]);
    opt.dispose();
  });

  it('param groups keep their own lr and weight decay (a slower backbone)', () => {
    const backbone = param(tf.ones([2]));
    const head = param(tf.ones([2]));
    const opt = new SGD([{ params: [backbone], lr: 0.01 }, { params: [head] }], { lr: 0.1, weightDecay: 0.5 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.1]);
    opt.backward(() => tf.add(tf.sum(backbone), tf.sum(head)) as tf.Scalar).dispose();
    opt.step();
    expectClose(backbone, [1 - 0.01 * 1.5, 1 - 0.01 * 1.5]);
    expectClose(head, [1 - 0.1 * 1.5, 1 - 0.1 * 1.5]);
    opt.dispose();
    tf.dispose([backbone, head]);
  });
});
