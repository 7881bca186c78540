import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { ConvBackbone } from './backbone.js';
import { FeaturePyramid } from './feature-pyramid.js';
import { scoped } from '../../test/helpers.js';

describe('ConvBackbone and FeaturePyramid', () => {
  it('returns one map per stage, finest first, for plain and ResNet blocks', () =>
    scoped(() => {
      for (const block of ['plain', 'basic'] as const) {
        const b = new ConvBackbone({ widths: [8, 16, 32], block, blocks: [1, 2], stemStride: 2, generator: new Generator(0) });
        const maps = b.forward(tf.zeros([2, 30, 30, 3]));
        expect(maps.map((m) => m.shape)).toEqual([[2, 15, 15, 8], [2, 8, 8, 16], [2, 4, 4, 32]]);
        expect(b.strides).toEqual([2, 4, 8]);
        expect(b.channels).toEqual([8, 16, 32]);
        const sd = b.stateDict();
        const keys = Object.keys(sd);
        expect(keys).toContain(block === 'plain' ? 'layer2.2.weight' : 'layer2.1.conv2.weight');
        if (block === 'basic') expect(keys).toContain('stem.1.running_mean'); // BatchNorm after the stem
        tf.dispose([...maps, ...Object.values(sd)]);
        b.dispose();
      }
    }));

  it('starts convolutions Kaiming-normal (fan-out) with zero biases', async () => {
    const b = new ConvBackbone({ widths: [32, 64], generator: new Generator(1) });
    const sd = b.stateDict();
    const w = await sd['layer1.2.weight']!.data(); // [64, 64, 3, 3] in PyTorch's layout
    const std = Math.sqrt(Array.from(w).reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 2);
    expect(Array.from(await sd['layer1.2.bias']!.data()).every((v) => v === 0)).toBe(true);
    tf.dispose(Object.values(sd));
    b.dispose();
  });

  it('merges coarse context into fine maps (top-down, nearest upsampling)', () =>
    scoped(async () => {
      const fpn = new FeaturePyramid([4, 8], 6, { generator: new Generator(2) });
      const [p0, p1] = fpn.forward([tf.zeros([1, 8, 8, 4]), tf.ones([1, 4, 4, 8])]);
      expect(p0!.shape).toEqual([1, 8, 8, 6]);
      expect(p1!.shape).toEqual([1, 4, 4, 6]);
      // the coarse input is all ones: its contribution reaches the fine map, so p0 depends on it
      const p0b = fpn.forward([tf.zeros([1, 8, 8, 4]), tf.zeros([1, 4, 4, 8])])[0]!;
      expect(Math.max(...Array.from(await tf.abs(tf.sub(p0!, p0b)).data()))).toBeGreaterThan(0);
      const one = new FeaturePyramid([4, 8], 6, { outputs: 1 });
      expect(one.forward([tf.zeros([1, 8, 8, 4]), tf.zeros([1, 4, 4, 8])]).map((m) => m.shape)).toEqual([[1, 8, 8, 6]]);
      fpn.dispose();
      one.dispose();
    }));

  it('rejects bad options', () => {
    expect(() => new ConvBackbone({ widths: [] })).toThrow('ConvBackbone: options.widths must be a non-empty list of channel counts, got []');
    expect(() => new ConvBackbone({ widths: [8, 16], blocks: [1, 1] })).toThrow('ConvBackbone: options.blocks must be 1 block counts');
    expect(() => new ConvBackbone({ block: 'dense' as never })).toThrow("ConvBackbone: options.block must be one of 'plain', 'basic'");
    expect(() => new FeaturePyramid([4, 8], 6, { outputs: 3 })).toThrow('FeaturePyramid: options.outputs must be');
    const b = new ConvBackbone({ widths: [4] });
    const x = tf.zeros([1, 8, 8, 1]);
    expect(() => b.forward(x)).toThrow('ConvBackbone.forward: images must be');
    x.dispose();
    b.dispose();
  });
});
