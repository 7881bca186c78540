import { describe, expect, it } from 'vitest';
import { convOutputSize, receptiveField } from '../index.js';

describe('convOutputSize', () => {
  it("is PyTorch's formula, exact in integers", () => {
    expect(convOutputSize(7, 3)).toBe(5);
    expect(convOutputSize(7, 3, { stride: 2, padding: 1 })).toBe(4);
    expect(convOutputSize(32, 5, { stride: 2, padding: 2, dilation: 2 })).toBe(14);
    expect(convOutputSize(10, 4, { stride: 3 })).toBe(3);
    expect(() => convOutputSize(7.5, 3)).toThrow(/convOutputSize: input must be an integer/);
  });
});

describe('receptiveField', () => {
  it('grows by (k-1)·jump per layer', () => {
    expect(receptiveField([3, 3, 3], [1, 1, 1])).toBe(7);
    expect(receptiveField([7, 3, 3, 3], [2, 2, 1, 2])).toBe(27);
    expect(receptiveField([11, 5, 3, 3, 3], [4, 1, 1, 1, 1])).toBe(51);
    expect(receptiveField([{ kernel: 3, dilation: 2 }, { kernel: 3, stride: 2 }])).toBe(7);
    expect(() => receptiveField([3, 3], [1])).toThrow(/strides must be an array of 2 strides/);
  });
});
