import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Parameter } from '@fovea/core';
import { Adagrad, Adam, AdamW, CosineAnnealingLR, RMSprop, SGD, clipGradNorm, type Optimizer } from '../index.js';

/** Small checks run on every backend lane (cpu, wasm, webgpu): results read with `await data()`. */
describe('optimizers on this backend', () => {
  const cases: [string, (p: tf.Variable[]) => Optimizer, number[]][] = [
    // one step on f = sum(x²) from x = [1, -2] (grad [2, -4])
    ['SGD momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), [0.8, -1.6]],
    ['Adagrad', (p) => new Adagrad(p, { lr: 0.5 }), [0.5, -1.5]],
    ['RMSprop', (p) => new RMSprop(p, { lr: 0.01, alpha: 0.99 }), [0.9, -1.9]],
    ['Adam', (p) => new Adam(p, { lr: 0.1 }), [0.9, -1.9]],
    ['AdamW', (p) => new AdamW(p, { lr: 0.1, weightDecay: 0.5 }), [0.85, -1.8]],
  ];
  for (const [name, make, want] of cases) {
    it(`${name}: one step`, async () => {
      const init = tf.tensor1d([1, -2]);
      const x = new Parameter(init);
      init.dispose();
      const opt = make([x]);
      const sched = new CosineAnnealingLR(opt, { tMax: 10 });
      opt.backward(() => tf.sum(tf.square(x)) as tf.Scalar).dispose();
      opt.step();
      sched.step();
      const got = Array.from(await x.data());
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 3));
      opt.dispose();
      x.dispose();
    });
  }

  it('clipGradNorm', async () => {
    const g = tf.tensor1d([3, 4]);
    const { grads, totalNorm } = clipGradNorm([g], 1);
    expect((await totalNorm.data())[0]).toBeCloseTo(5, 5);
    const v = await grads[0]!.data();
    expect(v[0]).toBeCloseTo(0.6, 5);
    tf.dispose([g, totalNorm, ...grads]);
  });
});
