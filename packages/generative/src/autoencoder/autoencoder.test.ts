import * as tf from '@tensorflow/tfjs-core';
import { Generator, bceWithLogits } from '@fovea/core';
import { values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';

describe('Autoencoder', () => {
  it('encodes to [N, Z], decodes to the input shape, and overfits a batch', () => {
    const ae = new Autoencoder({ inputShape: [3, 3, 2], hidden: [16], latentDim: 4, generator: new Generator(0) });
    expect(ae.namedParameters().map(([n]) => n)).toEqual(['encoder.0.weight', 'encoder.0.bias', 'encoder.2.weight', 'encoder.2.bias', 'decoder.0.weight', 'decoder.0.bias', 'decoder.2.weight', 'decoder.2.bias']);
    const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([6, 3, 3, 2], 0, 1, 'float32', 1), 0.5), 'float32'));
    tf.tidy(() => {
      expect(ae.encode(x).shape).toEqual([6, 4]);
      expect(ae.decode(tf.zeros([2, 4])).shape).toEqual([2, 3, 3, 2]);
      expect(ae.forward(x).shape).toEqual([6, 3, 3, 2]);
    });
    const opt = tf.train.adam(2e-2);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 200; i++) {
      const l = opt.minimize(() => bceWithLogits(ae.forward(x), x) as tf.Scalar, true, ae.trainableParameters())!;
      if (i === 0) first = l.dataSync()[0]!;
      last = l.dataSync()[0]!;
      l.dispose();
    }
    opt.dispose();
    expect(first).toBeGreaterThan(0.6);
    expect(last).toBeLessThan(0.05);
    const wrong = tf.tidy(() => values(tf.sum(tf.abs(tf.sub(tf.cast(tf.greater(ae.forward(x), 0), 'float32'), x))))[0]!);
    expect(wrong).toBe(0);
    // images flatten in PyTorch's C, H, W order: decoder output unit c·9 + i·3 + j is pixel (i, j) of channel c
    tf.tidy(() => {
      const [[, w], [, b]] = ae.decoder.getModule('2')!.namedParameters();
      w!.assign(tf.zerosLike(w!));
      b!.assign(tf.range(0, 18, 1, 'float32'));
      const y = ae.decode(tf.zeros([1, 4]));
      expect(values(y)).toEqual(Array.from({ length: 18 }, (_, k) => (k % 2) * 9 + Math.floor(k / 2)));
    });
    expect(() => tf.tidy(() => ae.encode(tf.zeros([2, 18])))).toThrow(/Autoencoder.encode: x must be float32 of shape \[N, 3, 3, 2\]/);
    x.dispose();
    ae.dispose();
  });
});
