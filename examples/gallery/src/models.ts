/** Models the gallery pages share, built from the packages. */
import * as tf from '@tensorflow/tfjs-core';
import { ReLU, Sequential, randperm, type Generator } from '@fovea/core';
import { Conv2d, Flatten, Linear, MaxPool2d } from '@fovea/layers';

/**
 * A small digits CNN: conv 3×3 (16) → ReLU → max pool 2 → conv 3×3 (32) →
 * ReLU → max pool 2 → flatten → dense 64 → ReLU → dense 10. Input
 * `[N, 28, 28, 1]`, output `[N, 10]` logits.
 */
export function smallDigitsCnn(generator: Generator): Sequential {
  const gen = { generator };
  return new Sequential(
    new Conv2d(1, 16, 3, { padding: 1, ...gen }), // [N, 28, 28, 16]
    new ReLU(),
    new MaxPool2d(2), // [N, 14, 14, 16]
    new Conv2d(16, 32, 3, { padding: 1, ...gen }), // [N, 14, 14, 32]
    new ReLU(),
    new MaxPool2d(2), // [N, 7, 7, 32]
    new Flatten(), // [N, 1568]
    new Linear(7 * 7 * 32, 64, gen), // [N, 64]
    new ReLU(),
    new Linear(64, 10, gen), // [N, 10]
  );
}

/** Accuracy of `logits` `[N, K]` against int32 labels `[N]`, read asynchronously. */
export async function accuracyOf(logits: tf.Tensor, labels: tf.Tensor): Promise<number> {
  const hit = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), labels), 'float32')));
  const v = (await hit.data())[0]!;
  hit.dispose();
  return v;
}

/**
 * Endless seeded shuffled mini-batches of the row indices `[0, n)`: full
 * batches only (BatchNorm and GAN steps want them), reshuffled after each pass.
 */
export class BatchSampler {
  private order: Int32Array;
  private cursor = 0;

  constructor(
    private readonly n: number,
    private readonly batch: number,
    private readonly generator: Generator,
  ) {
    this.order = randperm(n, { generator });
  }

  /** The next batch's indices, int32 `[batch]` (the caller disposes it). */
  next(): tf.Tensor1D {
    if (this.cursor + this.batch > this.n) {
      this.order = randperm(this.n, { generator: this.generator });
      this.cursor = 0;
    }
    const idx = tf.tensor1d(this.order.subarray(this.cursor, this.cursor + this.batch), 'int32');
    this.cursor += this.batch;
    return idx;
  }
}
