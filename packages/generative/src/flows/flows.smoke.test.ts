import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { outlierAuroc } from '../outlier/outlier-auroc.js';
import { MADE } from './made.js';
import { RealNVP } from './real-nvp.js';

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe(`tractable densities on ${tf.getBackend()}`, () => {
  it('MADE sums to 1, RealNVP inverts, AUROC of their scores', async () => {
    const made = new MADE({ inputDim: 3, hidden: [8], generator: new Generator(0) });
    const all = tf.tensor2d([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1], [8, 3]);
    const lp = made.logProb(all);
    expect((await read(lp)).reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 4);
    const s = await made.sample(4, { generator: new Generator(1) });
    expect(s.shape).toEqual([4, 3]);
    const flow = new RealNVP({ dim: 2, numCouplings: 2, hidden: [8], generator: new Generator(2) });
    const x = tf.tensor2d([[0.5, -1], [2, 3]]);
    const { z, logDet } = flow.forward(x);
    const back = flow.inverse(z);
    (await read(back)).forEach((v, i) => expect(v).toBeCloseTo([0.5, -1, 2, 3][i]!, 4));
    const [sIn, sOut] = [tf.tensor1d([1, 2]), tf.tensor1d([3, 0])];
    expect(await outlierAuroc(sIn, sOut)).toBe(0.5);
    tf.dispose([all, lp, s, x, z, logDet, back, sIn, sOut]);
    made.dispose();
    flow.dispose();
  });
});
