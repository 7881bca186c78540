import * as tf from '@tensorflow/tfjs-core';
import { Module, Parameter } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { lossAndGradients } from './loss-and-gradients.js';
import type { DetectorTarget, PreparedBatch, TrainableDetector } from './types.js';

/** A toy "detector": loss a = (w·mean(x) - n)², b = w² where n is the number of boxes (read back when preparing). */
type ToyBatch = PreparedBatch & { n: number };

class Toy extends Module<[tf.Tensor], tf.Tensor> implements TrainableDetector<ToyBatch> {
  readonly w: Parameter;
  disposed = 0;
  constructor(frozen = false) {
    super();
    this.w = this.registerParameter('w', tf.scalar(2), { requiresGrad: !frozen });
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(this.w, tf.mean(x));
  }
  async prepareTraining(_images: tf.Tensor4D, targets: DetectorTarget[]): Promise<ToyBatch> {
    const n = (await targets[0]!.boxes.data()).length / 4;
    return { n, dispose: () => void this.disposed++ };
  }
  trainingLosses(images: tf.Tensor4D, p: ToyBatch): Record<string, tf.Scalar> {
    return { a: tf.square(tf.sub(this.forward(images), p.n)) as tf.Scalar, b: tf.square(this.w) as tf.Scalar };
  }
}

describe('lossAndGradients', () => {
  it('differentiates the sum of the loss terms and disposes the prepared batch', async () => {
    const model = new Toy();
    const images = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    const targets = [{ boxes: tf.zeros([3, 4]) as tf.Tensor2D, labels: tf.zeros([3], 'int32') as tf.Tensor1D }];
    const r = await lossAndGradients<ToyBatch>(model, images, targets);
    // a = (2 - 3)² = 1, b = 4; d/dw = 2(w - 3)·1 + 2w = -2 + 4 = 2
    expect(r.losses).toEqual({ a: 1, b: 4 });
    expect(r.loss).toBe(5);
    expect(Object.keys(r.grads)).toEqual([model.w.name]);
    expect((await r.grads[model.w.name]!.data())[0]).toBeCloseTo(2, 6);
    expect(model.disposed).toBe(1);
    tf.dispose([images, targets[0]!.boxes, targets[0]!.labels, r.grads]);
    model.dispose();
  });

  it('rejects models it cannot train', async () => {
    const images = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    await expect(lossAndGradients({} as never, images, [])).rejects.toThrow('lossAndGradients: model must be a trainable detector');
    const frozen = new Toy(true);
    await expect(lossAndGradients<ToyBatch>(frozen, images, [])).rejects.toThrow('lossAndGradients: model must be at least one trainable parameter, got none');
    frozen.dispose();
    images.dispose();
  });
});
