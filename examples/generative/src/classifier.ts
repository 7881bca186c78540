/** A small digits CNN: the judge of the conditional GAN (class accuracy) and its feature extractor (FID). */
import * as tf from '@tensorflow/tfjs-core';
import { Module, ReLU, Sequential, crossEntropy, type Generator } from '@fovea/core';
import { Conv2d, Flatten, Linear, MaxPool2d } from '@fovea/layers';
import { Adam, StepProgress } from '@fovea/optim';
import { batches, take } from './data.js';

/** conv 5×5 (16) → ReLU → pool → conv 5×5 (32) → ReLU → pool → dense 128 → ReLU → dense 10. */
export class DigitsClassifier extends Module<[tf.Tensor], tf.Tensor> {
  readonly features: Sequential;
  readonly head: Linear;
  constructor(generator: Generator) {
    super();
    const g = { generator };
    this.features = this.registerModule('features', new Sequential(
      new Conv2d(1, 16, 5, { padding: 2, ...g }), new ReLU(), new MaxPool2d(2), // [N, 14, 14, 16]
      new Conv2d(16, 32, 5, { padding: 2, ...g }), new ReLU(), new MaxPool2d(2), // [N, 7, 7, 32]
      new Flatten(), new Linear(7 * 7 * 32, 128, g), new ReLU(), // [N, 128]
    ));
    this.head = this.registerModule('head', new Linear(128, 10, g));
  }
  /** Images `[N, 28, 28, 1]` in [0, 1] → logits `[N, 10]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.head.forward(this.features.forward(x)));
  }
  /** The 128 penultimate activations, `[N, 128]` (FID features). */
  embed(x: tf.Tensor): tf.Tensor {
    return this.features.forward(x);
  }
}

/** Trains the classifier with Adam; returns its test accuracy. */
export async function trainClassifier(model: DigitsClassifier, train: { images: tf.Tensor; labels: tf.Tensor }, test: { images: tf.Tensor; labels: tf.Tensor }, epochs: number, gen: Generator): Promise<number> {
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const n = train.images.shape[0]!;
  const bar = new StepProgress('digits classifier', epochs * Math.ceil(n / 64));
  for (let e = 0; e < epochs; e++) {
    for (const idx of batches(n, 64, gen)) {
      const [x, y] = [take(train.images, idx), take(train.labels, idx)];
      opt.minimize(() => crossEntropy(model.forward(x), y) as tf.Scalar);
      tf.dispose([x, y]);
      bar.tick(1, `epoch ${e + 1}/${epochs}`);
    }
  }
  opt.dispose();
  const acc = await accuracy(model, test.images, test.labels);
  bar.finish(`test accuracy ${(100 * acc).toFixed(2)} % on ${test.labels.shape[0]} test digits`);
  return acc;
}

/** Share of `images` the classifier labels as `labels`. */
export async function accuracy(model: DigitsClassifier, images: tf.Tensor, labels: tf.Tensor): Promise<number> {
  let right = 0;
  const n = images.shape[0]!;
  for (let i = 0; i < n; i += 500) {
    const idx = Array.from({ length: Math.min(500, n - i) }, (_, k) => i + k);
    const ok = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.forward(take(images, idx)), 1), take(labels, idx)), 'int32')));
    right += (await ok.data())[0]!;
    ok.dispose();
  }
  return right / n;
}
