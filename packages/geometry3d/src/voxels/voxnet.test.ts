import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { VoxNet } from './voxnet.js';

describe('VoxNet', () => {
  it('classifies voxel grids with Conv3d layers and trains', () => {
    const net = new VoxNet(3, { gridSize: 16, generator: new Generator(0), dropout: false });
    const sd = net.stateDict();
    expect(Object.keys(sd).filter((k) => k.startsWith('conv'))).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias']);
    expect(sd['conv1.weight']!.shape).toEqual([32, 1, 5, 5, 5]); // PyTorch's [Cout, Cin, kD, kH, kW]
    tf.dispose(Object.values(sd));
    // a centred cube vs. an off-centre slab
    const x = tf.tidy(() => {
      const cube = tf.pad(tf.ones([1, 6, 6, 6]), [[0, 0], [5, 5], [5, 5], [5, 5]]);
      const slab = tf.pad(tf.ones([1, 2, 16, 16]), [[0, 0], [1, 13], [0, 0], [0, 0]]);
      return tf.concat([cube, slab, cube, slab]);
    });
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 3));
    tf.tidy(() => {
      expect(net.forward(x).shape).toEqual([4, 3]);
    });
    const vars = net.trainableParameters();
    const losses: number[] = [];
    for (let s = 0; s < 6; s++) {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, net.forward(x)) as tf.Scalar, vars);
      losses.push(value.dataSync()[0]!);
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(0.05, grads[v.name]!)))));
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses[5]!).toBeLessThan(losses[0]!);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('takes 32³ grids by default and rejects grids of the wrong size', () => {
    const net = new VoxNet(2);
    tf.tidy(() => {
      expect(net.eval().forward(tf.zeros([1, 32, 32, 32])).shape).toEqual([1, 2]);
      expect(() => net.forward(tf.zeros([1, 16, 16, 16]))).toThrow(/VoxNet.forward: voxels must be shape \[N, 32, 32, 32\]/);
    });
    net.dispose();
  });
});
