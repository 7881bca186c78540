import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BasicBlock, Bottleneck } from '../index.js';

describe('BasicBlock / Bottleneck', () => {
  it("have torchvision's key names, with the downsample branch when the shape changes", () => {
    const same = new BasicBlock(8, 8);
    const down = new BasicBlock(8, 16, { stride: 2 });
    const bott = new Bottleneck(16, 4, { stride: 2, groups: 2, baseWidth: 64 });
    tf.tidy(() => {
      expect(Object.keys(same.stateDict())).not.toContain('downsample.0.weight');
      expect(Object.keys(down.stateDict())).toEqual(expect.arrayContaining(['downsample.0.weight', 'downsample.1.running_var']));
      const sd = bott.stateDict();
      expect(sd['conv2.weight']!.shape).toEqual([8, 4, 3, 3]); // width 8, groups 2
      expect(sd['conv3.weight']!.shape).toEqual([16, 8, 1, 1]);
      expect(down.forward(tf.zeros([1, 8, 8, 8])).shape).toEqual([1, 4, 4, 16]);
      expect(bott.forward(tf.zeros([1, 8, 8, 16])).shape).toEqual([1, 4, 4, 16]);
    });
    [same, down, bott].forEach((m) => m.dispose());
  });

  it('is the identity plus a residual: with zeroed BN scales it returns relu(x)', () => {
    const block = new BasicBlock(3, 3).eval();
    tf.tidy(() => {
      block.bn2.weight!.assign(tf.zeros([3]));
      const x = tf.tensor4d([-1, 2, 3, -4, 5, -6, 7, 8, -9, 1, 1, 1], [1, 2, 2, 3]);
      expect(Array.from(block.forward(x).dataSync())).toEqual(Array.from(tf.relu(x).dataSync()));
    });
    block.dispose();
  });
});
