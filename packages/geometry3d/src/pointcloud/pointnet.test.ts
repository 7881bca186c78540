import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { PointNet } from './pointnet.js';

/** A few plain SGD steps on a cross-entropy loss; returns the losses. */
function sgd(model: PointNet, x: tf.Tensor, labels: tf.Tensor, steps: number, lr: number): number[] {
  const losses: number[] = [];
  const vars = model.trainableParameters();
  for (let s = 0; s < steps; s++) {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 2), model.forward(x)) as tf.Scalar, vars);
    losses.push(value.dataSync()[0]!);
    tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(lr, grads[v.name]!)))));
    tf.dispose([value, ...Object.values(grads)]);
  }
  return losses;
}

describe('PointNet', () => {
  it('maps clouds to logits, invariant to the order of the points', () => {
    const net = new PointNet(4, { mlp: [32, 64], head: [32], generator: new Generator(0) }).eval();
    const x = randn([3, 50, 3], { generator: new Generator(1) });
    const perm = tf.tensor1d(Array.from(new Generator(2).permutation(50)), 'int32');
    const a = net.forward(x);
    const b = tf.tidy(() => net.forward(tf.gather(x, perm, 1)));
    expect(a.shape).toEqual([3, 4]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([x, perm, a, b]);
    net.dispose();
  });

  it('has PyTorch-style state-dict keys and learns to separate two shapes', () => {
    const net = new PointNet(2, { mlp: [16, 32], head: [16], dropout: 0, inputTransform: false, generator: new Generator(3) });
    const sd0 = net.stateDict();
    const keys = Object.keys(sd0);
    tf.dispose(Object.values(sd0));
    expect(keys).toContain('features.layers.0.fc.weight');
    expect(keys).toContain('features.layers.0.bn.running_mean');
    expect(keys).toContain('classifier.bias');
    const g = new Generator(4);
    // class 0: points on a unit sphere; class 1: points in a flat disc
    const sphere = tf.tidy(() => {
      const r = randn([8, 64, 3], { generator: g });
      return tf.div(r, tf.norm(r, 'euclidean', 2, true));
    });
    const disc = tf.tidy(() => tf.mul(randn([8, 64, 3], { generator: g }), tf.tensor1d([0.6, 0.6, 0.01])));
    const x = tf.concat([sphere, disc]);
    const y = tf.tensor1d([...new Array(8).fill(0), ...new Array(8).fill(1)], 'int32');
    const losses = sgd(net, x, y, 30, 0.05);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
    const sd = net.stateDict();
    tf.dispose([sphere, disc, x, y, ...Object.values(sd)]);
    net.dispose();
  });

  it('uses a T-Net input transform that starts as the identity', () => {
    const net = new PointNet(3, { mlp: [8], head: [8], generator: new Generator(5) }).eval();
    const x = randn([2, 16, 3], { generator: new Generator(6) });
    const t = net.inputTransform!.forward(x);
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(t, tf.eye(3)))).dataSync()[0]!);
    expect(err).toBe(0);
    tf.tidy(() => {
      expect(() => net.forward(tf.zeros([2, 16, 2]))).toThrow(/PointNet.forward: points must be shape \[B, P, 3\]/);
    });
    tf.dispose([x, t]);
    net.dispose();
  });
});
