import { describe, expect, it } from 'vitest';
import { FoveaError } from '../errors/fovea-error.js';
import { Generator } from '../random/generator.js';
import { kFold } from './k-fold.js';

describe('kFold', () => {
  it("matches scikit-learn's KFold fold sizes and order without shuffling", () => {
    // sklearn.model_selection.KFold(3).split(range(10)): val folds [0..3], [4..6], [7..9]
    const folds = kFold(10, 3);
    expect(folds.map((f) => Array.from(f.val))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(Array.from(folds[1]!.train)).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('partitions the indices with shuffling, reproducibly from a seed', () => {
    const a = kFold(23, 5, { shuffle: true, generator: new Generator(3) });
    const b = kFold(23, 5, { shuffle: true, generator: new Generator(3) });
    expect(a.map((f) => Array.from(f.val))).toEqual(b.map((f) => Array.from(f.val)));
    const seen = a.flatMap((f) => Array.from(f.val)).sort((x, y) => x - y);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const f of a) {
      expect(f.train.length + f.val.length).toBe(23);
      const val = new Set(f.val);
      expect(Array.from(f.train).some((i) => val.has(i))).toBe(false);
    }
    expect(a.map((f) => f.val.length)).toEqual([5, 5, 5, 4, 4]);
    expect(Array.from(a[0]!.val)).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects bad k and n', () => {
    expect(() => kFold(10, 1)).toThrow(FoveaError);
    expect(() => kFold(10, 1)).toThrow('kFold: k must be an integer >= 2, got 1');
    expect(() => kFold(3, 5)).toThrow('kFold: n must be at least k = 5 items (one per fold), got 3');
    expect(() => kFold(2.5, 2)).toThrow(/kFold: n must be an integer/);
  });
});
