import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { bitsPerDim } from './bits-per-dim.js';
import { ImageTransformer } from './image-transformer.js';
import { PixelCNN } from './pixel-cnn.js';
import { PixelRNN } from './pixel-rnn.js';
import { inpaint } from './sample-autoregressive.js';

/** Every binary `h × w` image, `[2^(hw), h, w, 1]`. */
function allBinary(h: number, w: number): tf.Tensor {
  const n = 2 ** (h * w);
  return tf.tensor4d(Array.from({ length: n * h * w }, (_, i) => (Math.floor(i / (h * w)) >> (i % (h * w))) & 1), [n, h, w, 1]);
}

const models = (h = 6, w = 6) => {
  const g = new Generator(0);
  return [
    ['ImageTransformer', new ImageTransformer({ imageShape: [h, w, 1], levels: 2, dModel: 16, nhead: 2, numLayers: 2, generator: g })],
    ['PixelCNN', new PixelCNN({ levels: 2, hiddenChannels: 16, numLayers: 2, kernelSize: 3, generator: g })],
    ['gated PixelCNN', new PixelCNN({ levels: 2, hiddenChannels: 16, numLayers: 2, kernelSize: 3, gated: true, generator: g })],
    ['PixelRNN', new PixelRNN({ levels: 2, hiddenChannels: 8, numLayers: 1, generator: g })],
  ] as const;
};

describe('PixelCNN, PixelRNN and the image transformer', () => {
  it('define exact distributions: the probabilities of all 2×3 binary images sum to 1', () => {
    for (const [name, m] of models(2, 3)) {
      const total = tf.tidy(() => values(tf.sum(tf.exp(m.logProb(allBinary(2, 3)))))[0]!);
      expect(total, name).toBeCloseTo(1, 4);
      m.dispose();
    }
  });

  it('overfit a batch of digits-like patterns: bits/dim falls far below 1', () => {
    const x = tf.tidy(() => {
      const bar = tf.concat([tf.zeros([1, 6, 2, 1]), tf.ones([1, 6, 2, 1]), tf.zeros([1, 6, 2, 1])], 2); // a vertical bar
      return tf.concat([bar, tf.transpose(bar, [0, 2, 1, 3])], 0); // and a horizontal one, [2, 6, 6, 1]
    });
    const xi = tf.cast(x, 'int32');
    for (const [name, m] of models()) {
      const opt = tf.train.adam(1e-2);
      const vars = m.trainableParameters();
      for (let i = 0; i < 120; i++) opt.minimize(() => bitsPerDim(m.forward(x), xi).nll as tf.Scalar, false, vars);
      const bpd = tf.tidy(() => values(bitsPerDim(m.forward(x), xi).bitsPerDim)[0]!);
      expect(bpd, name).toBeLessThan(0.1);
      opt.dispose();
      m.dispose();
    }
    tf.dispose([x, xi]);
  });

  it('inpaint the bottom half of what they learned', async () => {
    const m = new PixelCNN({ levels: 2, hiddenChannels: 16, numLayers: 2, kernelSize: 3, generator: new Generator(3) });
    const x = tf.tidy(() => tf.concat([tf.zeros([1, 6, 2, 1]), tf.ones([1, 6, 2, 1]), tf.zeros([1, 6, 2, 1])], 2));
    const xi = tf.cast(x, 'int32');
    const opt = tf.train.adam(1e-2);
    for (let i = 0; i < 100; i++) opt.minimize(() => bitsPerDim(m.forward(x), xi).nll as tf.Scalar, false, m.trainableParameters());
    const mask = tf.tidy(() => tf.concat([tf.zeros([1, 3, 6, 1]), tf.ones([1, 3, 6, 1])], 1));
    const damaged = tf.tidy(() => tf.mul(x, tf.sub(1, mask)));
    const done = await inpaint(m, damaged, mask, { generator: new Generator(4), temperature: 0.5 });
    expect(values(done)).toEqual(values(x));
    tf.dispose([x, xi, mask, damaged, done]);
    opt.dispose();
    m.dispose();
  });

  it('have PyTorch-style parameter names and validate their input', () => {
    const m = new PixelCNN({ hiddenChannels: 4, numLayers: 1, generator: new Generator(5) });
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'input.weight', 'input.bias',
      'layers.0.conv1.weight', 'layers.0.conv1.bias', 'layers.0.conv2.weight', 'layers.0.conv2.bias', 'layers.0.conv3.weight', 'layers.0.conv3.bias',
      'head.1.weight', 'head.1.bias', 'head.3.weight', 'head.3.bias',
    ]);
    tf.tidy(() => {
      expect(() => m.forward(tf.zeros([1, 4, 4, 2]))).toThrow(/PixelCNN.forward: x must be float32 \[N, H, W, 1\] with integer values in \[0, K\), got shape \[1, 4, 4, 2\]/);
      expectClose(tf.sum(tf.exp(m.logProb(tf.zeros([1, 1, 1, 1])))), 0.5, { atol: 0.5 }); // a probability
    });
    const r = new PixelRNN({ hiddenChannels: 4, numLayers: 1, generator: new Generator(5) });
    expect(r.namedParameters().map(([n]) => n).slice(2, 8)).toEqual(['layers.0.input_conv.weight', 'layers.0.input_conv.bias', 'layers.0.cell.weight_ih', 'layers.0.cell.weight_hh', 'layers.0.cell.bias_ih', 'layers.0.cell.bias_hh']);
    m.dispose();
    r.dispose();
  });
});
