import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { randomSplit, randomSplitIndices, trainValTestSplit } from './random-split.js';

const range = (n: number) => ({ length: n, get: (i: number) => i });

describe('randomSplit', () => {
  it('partitions the dataset with the given counts, reproducibly', () => {
    const [a, b, c] = randomSplit(range(10), [5, 3, 2], { generator: new Generator(1) });
    expect([a!.length, b!.length, c!.length]).toEqual([5, 3, 2]);
    const all = [a!, b!, c!].flatMap((s) => Array.from({ length: s.length }, (_, i) => s.get(i) as number));
    expect([...all].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = randomSplit(range(10), [5, 3, 2], { generator: new Generator(1) });
    expect(Array.from(again[0]!.indices)).toEqual(Array.from(a!.indices));
  });

  it("uses PyTorch's rule for fractions (floor, then the remainder dealt from the first)", () => {
    // torch.utils.data.random_split(range(10), [0.33, 0.33, 0.34]) -> lengths [4, 3, 3]
    expect(randomSplitIndices(10, [0.33, 0.33, 0.34]).map((s) => s.length)).toEqual([4, 3, 3]);
    expect(randomSplitIndices(7, [0.5, 0.5]).map((s) => s.length)).toEqual([4, 3]);
    expect(randomSplitIndices(0, [0.5, 0.5]).map((s) => s.length)).toEqual([0, 0]);
  });

  it('rejects lengths that do not add up', () => {
    expect(() => randomSplit(range(10), [5, 4])).toThrow(
      'randomSplit: lengths must be counts summing to the dataset length 10, or fractions summing to 1, got [5, 4] (sum 9)',
    );
    expect(() => randomSplitIndices(10, [-1, 11])).toThrow(/lengths\[0\] must be a finite number >= 0, got -1/);
  });
});

describe('trainValTestSplit', () => {
  it('splits indices and datasets into disjoint train/val/test parts', () => {
    const { train, val, test } = trainValTestSplit(1000, { val: 0.1, test: 0.2, generator: new Generator(0) });
    expect([train.length, val.length, test.length]).toEqual([700, 100, 200]);
    expect(new Set([...train, ...val, ...test]).size).toBe(1000);
    const parts = trainValTestSplit(range(50), { val: 5, test: 5 });
    expect([parts.train.length, parts.val.length, parts.test.length]).toEqual([40, 5, 5]);
    expect(() => trainValTestSplit(10, { val: 6, test: 5 })).toThrow('trainValTestSplit: opts must be val + test <= 10 items, got val 6 + test 5');
  });
});
