import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { bitsPerDim } from './bits-per-dim.js';
import { ImageTransformer } from './image-transformer.js';
import { maskedConv2d, pixelCnnMask } from './masked-conv2d.js';
import { PixelCNN } from './pixel-cnn.js';
import { PixelRNN } from './pixel-rnn.js';
import { inpaint } from './sample-autoregressive.js';

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe(`autoregressive models on ${tf.getBackend()}`, () => {
  it('masked convolution (values and masked weight gradient) and bits/dim', async () => {
    const x = tf.ones([1, 3, 3, 1]);
    const w = tf.ones([3, 3, 1, 1]);
    const y = maskedConv2d(x, w, null, { maskType: 'A' });
    expect(await read(y)).toEqual([0, 1, 1, 2, 4, 3, 2, 4, 3]); // earlier pixels inside the image
    const gw = tf.grad((ww: tf.Tensor) => tf.sum(maskedConv2d(x, ww, null, { maskType: 'B' })))(w);
    const mask = pixelCnnMask(3, 'B');
    expect((await read(gw)).map((v) => v === 0)).toEqual((await read(mask)).map((m) => m === 0));
    const [lg, tg] = [tf.zeros([2, 3, 2]), tf.zeros([2, 3], 'int32')];
    const b = bitsPerDim(lg, tg);
    expect((await read(b.bitsPerDim))[0]!).toBeCloseTo(1, 5);
    tf.dispose([x, w, y, gw, mask, b.nll, b.bitsPerDim, lg, tg]);
  });

  it('PixelCNN (masked, gated), PixelRNN and the image transformer: a training step, exact likelihoods, inpainting', async () => {
    const g = new Generator(0);
    const models = [
      new PixelCNN({ hiddenChannels: 4, numLayers: 1, kernelSize: 3, generator: g }),
      new PixelCNN({ hiddenChannels: 4, numLayers: 1, kernelSize: 3, gated: true, generator: g }),
      new PixelRNN({ hiddenChannels: 4, numLayers: 1, generator: g }),
      new ImageTransformer({ imageShape: [2, 2, 1], dModel: 8, nhead: 2, numLayers: 1, generator: g }),
    ];
    const all = tf.tensor4d(Array.from({ length: 64 }, (_, i) => (Math.floor(i / 4) >> (i % 4)) & 1), [16, 2, 2, 1]);
    for (const m of models) {
      const opt = tf.train.adam(1e-2);
      const l = opt.minimize(() => bitsPerDim(m.forward(all), tf.cast(all, 'int32')).nll as tf.Scalar, true, m.trainableParameters())!;
      expect(Number.isFinite((await read(l))[0]!)).toBe(true);
      const lp = m.logProb(all);
      const total = (await read(lp)).reduce((s, v) => s + Math.exp(v), 0);
      expect(total).toBeCloseTo(1, 3);
      tf.dispose([l, lp]);
      opt.dispose();
    }
    const mask = tf.tensor4d([0, 0, 1, 1], [1, 2, 2, 1]);
    const known = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
    const done = await inpaint(models[0]!, known, mask, { generator: g });
    const v = await read(done);
    expect(v.slice(0, 2)).toEqual([1, 0]);
    expect(v.every((q) => q === 0 || q === 1)).toBe(true);
    tf.dispose([all, mask, known, done]);
    models.forEach((m) => m.dispose());
  });
});
