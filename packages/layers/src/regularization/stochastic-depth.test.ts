import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { StochasticDepth, stochasticDepth } from '../index.js';

describe('stochasticDepth', () => {
  it("'row' keeps or drops each sample whole, scaled by 1/(1-p)", () => {
    tf.tidy(() => {
      const y = stochasticDepth(tf.ones([200, 2, 2, 3]), { p: 0.25, generator: new Generator(4) });
      const rows = tf.reshape(y, [200, 12]).arraySync() as number[][];
      let dropped = 0;
      for (const r of rows) {
        expect(new Set(r).size).toBe(1);
        if (r[0] === 0) dropped++;
        else expect(r[0]).toBeCloseTo(1 / 0.75, 6);
      }
      expect(Math.abs(dropped / 200 - 0.25)).toBeLessThan(0.08);
    });
  });

  it("'batch' keeps or drops the whole batch; eval is the identity", () => {
    const m = new StochasticDepth(0.5, 'batch', { generator: new Generator(1) });
    tf.tidy(() => {
      const y = m.forward(tf.ones([4, 3]));
      expect(new Set(Array.from(y.dataSync())).size).toBe(1);
      m.eval();
      expect(Array.from(m.forward(tf.ones([2])).dataSync())).toEqual([1, 1]);
      expect(() => stochasticDepth(tf.ones([2]), { p: 0.5, mode: 'col' as 'row' })).toThrow(/mode/);
    });
  });
});
