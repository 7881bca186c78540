import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { arr, scoped } from '../../test/helpers.js';
import { BalancedPositiveNegativeSampler } from './balanced-positive-negative-sampler.js';

describe('BalancedPositiveNegativeSampler', () => {
  const labels = () => tf.tensor1d([1, 0, 0, -1, 2, 1, 0, 0, 0, 0, -1, 3], 'int32');

  it('samples at most batch·fraction positives and fills with negatives, never ignored ones', () =>
    scoped(async () => {
      const s = new BalancedPositiveNegativeSampler({ batchSizePerImage: 6, positiveFraction: 0.5, generator: new Generator(1) });
      const { positive, negative } = await s.sample([labels(), tf.tensor1d([0, 0, 1], 'int32')]);
      const lab = arr(labels());
      const pos = arr(positive[0]!);
      const neg = arr(negative[0]!);
      expect(pos.reduce((a, b) => a + b)).toBe(3);
      expect(neg.reduce((a, b) => a + b)).toBe(3);
      pos.forEach((p, i) => p && expect(lab[i]).toBeGreaterThanOrEqual(1));
      neg.forEach((p, i) => p && expect(lab[i]).toBe(0));
      // second image: 1 positive available, so 5 negatives wanted but only 2 exist
      expect([arr(positive[1]!), arr(negative[1]!)]).toEqual([[0, 0, 1], [1, 1, 0]]);
      expect(positive[0]!.dtype).toBe('bool');
    }));

  it('is reproducible with a seed and varies without', () =>
    scoped(async () => {
      const draw = async (seed: number) =>
        arr((await new BalancedPositiveNegativeSampler({ batchSizePerImage: 4, positiveFraction: 0.25, generator: new Generator(seed) }).sample(labels())).negative[0]!);
      expect(await draw(3)).toEqual(await draw(3));
      const draws = new Set<string>();
      for (let s = 0; s < 10; s++) draws.add((await draw(s)).join(''));
      expect(draws.size).toBeGreaterThan(1);
    }));

  it('validates its options', () => {
    expect(() => new BalancedPositiveNegativeSampler({ batchSizePerImage: 4, positiveFraction: 1.5 })).toThrow(
      /BalancedPositiveNegativeSampler: options.positiveFraction must be a finite number >= 0 <= 1, got 1.5/,
    );
  });
});
