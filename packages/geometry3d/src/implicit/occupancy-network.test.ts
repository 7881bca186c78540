import * as tf from '@tensorflow/tfjs-core';
import { Generator, uniform } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { OccupancyNetwork, occupancyGrid } from './occupancy-network.js';

describe('OccupancyNetwork', () => {
  it('predicts per-point logits, with latent codes and Fourier features', () => {
    const net = new OccupancyNetwork({ latentDim: 4, hiddenDim: 16, numBlocks: 2, fourierFeatures: 2, generator: new Generator(0) });
    tf.tidy(() => {
      const out = net.forward(tf.zeros([2, 5, 3]), tf.ones([2, 1, 4]));
      expect(out.shape).toEqual([2, 5]);
      expect(() => net.forward(tf.zeros([5, 3]))).toThrow(/OccupancyNetwork.forward: z must be a tf.Tensor/);
      expect(() => net.forward(tf.zeros([5, 2]), tf.zeros([5, 4]))).toThrow(/points must be shape \[..., 3\]/);
    });
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(['fc_p.weight', 'fc_p.bias', 'blocks.0.fc_0.weight', 'blocks.0.fc_0.bias', 'blocks.0.fc_1.weight', 'blocks.0.fc_1.bias', 'blocks.1.fc_0.weight', 'blocks.1.fc_0.bias', 'blocks.1.fc_1.weight', 'blocks.1.fc_1.bias', 'fc_out.weight', 'fc_out.bias']);
    expect(sd['fc_p.weight']!.shape).toEqual([16, 3 * 5 + 4]);
    tf.dispose(Object.values(sd));
    net.dispose();
  });

  it('fits a sphere’s occupancy with a few gradient steps', () => {
    const net = new OccupancyNetwork({ hiddenDim: 32, numBlocks: 1, generator: new Generator(1) });
    const g = new Generator(2);
    const pts = uniform([512, 3], -1, 1, { generator: g });
    const inside = tf.tidy(() => tf.cast(tf.less(tf.norm(pts, 'euclidean', 1), 0.6), 'float32'));
    const vars = net.trainableParameters();
    const loss = (): tf.Scalar => tf.losses.sigmoidCrossEntropy(inside, net.forward(pts)) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    const opt = tf.train.adam(0.01);
    for (let s = 0; s < 60; s++) tf.tidy(() => void opt.minimize(loss, false, vars));
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first * 0.5);
    opt.dispose();
    tf.dispose([pts, inside]);
    net.dispose();
  });
});

describe('occupancyGrid', () => {
  it('evaluates a function on an [z, y, x] grid in batches', () => {
    const vol = occupancyGrid((p) => tf.sum(tf.mul(p, tf.tensor1d([1, 10, 100])), 1), 3, { batchSize: 4 });
    expect(vol.shape).toEqual([3, 3, 3]);
    // corner [z=2, y=0, x=1] is the point (0, -1, 1): 0 - 10 + 100
    tf.tidy(() => expectClose(tf.slice(vol, [2, 0, 1], [1, 1, 1]), [90]));
    vol.dispose();
    expect(() => occupancyGrid((p) => p, 2)).toThrow(/occupancyGrid: fn\(points\) must be shape \[8\]/);
  });
});
