import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { outlierAuroc } from './outlier-auroc.js';

/** AUROC by brute force over all pairs. */
function pairs(a: number[], b: number[]): number {
  let s = 0;
  for (const x of a) for (const y of b) s += y > x ? 1 : y === x ? 0.5 : 0;
  return s / (a.length * b.length);
}

describe('outlierAuroc', () => {
  it('equals the pairwise probability, ties counting half', async () => {
    expect(await outlierAuroc([1, 2, 3], [4, 5])).toBe(1);
    expect(await outlierAuroc([4, 5], [1, 2, 3])).toBe(0);
    const a = [0.125, 0.5, 0.5, 0.875, 0.25, 0.25]; // exact in float32, so ties stay ties
    const b = [0.5, 0.375, 0.9375, 0.25];
    expect(await outlierAuroc(a, b)).toBeCloseTo(pairs(a, b), 12);
    const t = tf.tensor1d(a);
    expect(await outlierAuroc(t, b)).toBeCloseTo(pairs(a, b), 6);
    t.dispose();
  });

  it('validates', async () => {
    await expect(outlierAuroc([], [1])).rejects.toThrow(/outlierAuroc: inlierScores must be at least one score, got none/);
    await expect(outlierAuroc([1, NaN], [1])).rejects.toThrow(/outlierAuroc: inlierScores must be finite scores, got NaN at index 1/);
  });
});
