import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { T, fixtures, scoped } from '../../test/helpers.js';
import { AnchorGenerator, cellAnchors, gridAnchors } from './anchor-generator.js';

describe('anchors', () => {
  it('cell anchors round half to even in float32 (size 25, ratio 1 gives ±12)', () => {
    expect(Array.from(cellAnchors([25], [1]))).toEqual([-12, -12, 12, 12]);
    expect(Array.from(cellAnchors([32], [0.5, 2]))).toEqual([-23, -11, 23, 11, -11, -23, 11, 23]);
  });

  it('orders locations row-major, then ratios outer, sizes inner', () =>
    scoped(() => {
      const a = gridAnchors({ sizes: [16, 32], aspectRatios: [1, 2], featureSize: [2, 3], imageSize: [20, 30] });
      expect(a.shape).toEqual([2 * 3 * 4, 4]);
      const rows = a.arraySync() as number[][];
      expect(rows[0]).toEqual([-8, -8, 8, 8]); // (y 0, x 0), ratio 1, size 16
      expect(rows[1]).toEqual([-16, -16, 16, 16]); // ratio 1, size 32
      expect(rows[4]).toEqual([2, -8, 18, 8]); // (y 0, x 1): shifted by stride 30 // 3 = 10
      expect(rows[12]).toEqual([-8, 2, 8, 18]); // (y 1, x 0): shifted by stride 20 // 2 = 10
    }));

  it('AnchorGenerator matches torchvision on two levels (fixture)', () =>
    scoped(() => {
      const gen = new AnchorGenerator({ sizes: [[32, 64], [128]], aspectRatios: [[0.5, 1, 2], [1, 3]] });
      expect(gen.numAnchorsPerLocation()).toEqual([6, 2]);
      expectClose(gen.forward([96, 128], [[12, 16], [6, 8]]), T(fixtures.anchor_generator.anchors), { atol: 0 });
      expect(gen.cellAnchors(1).shape).toEqual([2, 4]);
      expect(gen.parameters()).toEqual([]);
    }));

  it('one ratio list serves every level; bad options are named', () => {
    const gen = new AnchorGenerator({ sizes: [[32], [64], [128]], aspectRatios: [[0.5, 1, 2]] });
    expect(gen.numAnchorsPerLocation()).toEqual([3, 3, 3]);
    expect(() => new AnchorGenerator({ sizes: [[32], [64]], aspectRatios: [[1], [1], [1]] })).toThrow(/AnchorGenerator: options.aspectRatios must be 2 ratio lists/);
    expect(() => gridAnchors({ sizes: [0], aspectRatios: [1], featureSize: [2, 2], imageSize: [8, 8] })).toThrow(/gridAnchors: options.sizes\[0\] must be a finite number > 0, got 0/);
    expect(() => gen.forward([64, 64], [[8, 8]])).toThrow(/AnchorGenerator.forward: featureSizes must be 3 feature map sizes, got 1 entries/);
  });
});
