/** Test helpers shared by the optim tests: a tiny MLP and a blob dataset. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, Module, bernoulli, randn, type Parameter } from '@fovea/core';

/** A two-layer net with dropout drawn from a generator (so resuming must restore RNG state). */
export class Mlp extends Module<[tf.Tensor], tf.Tensor> {
  readonly w1: Parameter;
  readonly b1: Parameter;
  readonly w2: Parameter;
  readonly b2: Parameter;
  constructor(dIn: number, hidden: number, k: number, private readonly gen: Generator, private readonly p = 0) {
    super();
    this.w1 = this.registerParameter('w1', tf.tidy(() => tf.mul(randn([dIn, hidden], { generator: gen }), Math.sqrt(2 / dIn))));
    this.b1 = this.registerParameter('b1', tf.zeros([hidden]));
    this.w2 = this.registerParameter('w2', tf.tidy(() => tf.mul(randn([hidden, k], { generator: gen }), Math.sqrt(1 / hidden))));
    this.b2 = this.registerParameter('b2', tf.zeros([k]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = tf.relu(tf.add(tf.matMul(x, this.w1), this.b1)); // [N, hidden]
      if (this.training && this.p > 0) h = tf.div(tf.mul(h, bernoulli(h.shape, 1 - this.p, { generator: this.gen })), 1 - this.p);
      return tf.add(tf.matMul(h, this.w2), this.b2); // [N, K]
    });
  }
}

/** Three Gaussian blobs in 2-D. */
export function blobs(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(centers[c]![0]! + 0.6 * g.normal(), centers[c]![1]! + 0.6 * g.normal());
    ys.push(c);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(ys, 'int32') };
}

/** Top-1 accuracy of logits `[N, K]` against labels `[N]`, a batch mean. */
export const accuracy = (logits: tf.Tensor, y: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);
