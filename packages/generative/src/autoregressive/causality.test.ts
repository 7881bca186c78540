/** The autoregressive property of every pixel model: logits at a pixel never depend on that pixel or later ones. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { GatedMaskedConv2d } from './gated-masked-conv2d.js';
import { ImageTransformer } from './image-transformer.js';
import { MaskedConv2d } from './masked-conv2d.js';
import { PixelCNN } from './pixel-cnn.js';
import { PixelRNN } from './pixel-rnn.js';
import { RowLSTM } from './row-lstm.js';

/**
 * For several positions `p`, two images equal before `p` (raster order) and
 * random from `p` on must give identical logits at every position `≤ p`,
 * and (when `strict`) different logits somewhere after it.
 */
function expectCausal(forward: (x: tf.Tensor) => tf.Tensor, [n, h, w, c]: [number, number, number, number], levels: number, seed = 0): void {
  const g = new Generator(seed);
  const draw = () => Float32Array.from({ length: n * h * w * c }, () => g.randint(0, levels));
  const positions = [0, 1, w - 1, w, Math.floor((h * w) / 2), h * w - 1];
  let changedLater = false;
  for (const p of positions) {
    const a = draw();
    const b = draw();
    for (let img = 0; img < n; img++) for (let q = 0; q < p; q++) for (let ch = 0; ch < c; ch++) b[(img * h * w + q) * c + ch] = a[(img * h * w + q) * c + ch]!;
    const [la, lb] = tf.tidy(() => [forward(tf.tensor4d(a, [n, h, w, c])), forward(tf.tensor4d(b, [n, h, w, c]))].map((t) => t.dataSync() as Float32Array));
    const per = c * levels;
    for (let img = 0; img < n; img++) {
      for (let q = 0; q < h * w; q++) {
        for (let k = 0; k < per; k++) {
          const i = (img * h * w + q) * per + k;
          const same = Math.abs(la![i]! - lb![i]!) <= 1e-5 * (1 + Math.abs(la![i]!));
          if (q <= p) expect(same, `logit ${k} of pixel ${q} changed when pixels ≥ ${p} changed`).toBe(true);
          else if (!same) changedLater = true;
        }
      }
    }
  }
  expect(changedLater, 'later pixels never depend on earlier ones').toBe(true);
}

describe('autoregressive property', () => {
  it('MaskedConv2d type A: output (i, j) reads only earlier pixels', () => {
    const conv = new MaskedConv2d(2, 3, 5, { maskType: 'A', generator: new Generator(1) });
    // as a "model" with K = 3 logits per pixel of a 1-channel... view: treat the 3 outputs as logits of one channel
    expectCausal((x) => tf.reshape(conv.forward(tf.concat([x, tf.square(x)], 3)), [x.shape[0]!, x.shape[1]!, x.shape[2]!, 1, 3]), [2, 6, 5, 1], 3);
    conv.dispose();
  });

  it('GatedMaskedConv2d stack (type A then B): no blind spot, no peeking', () => {
    const g = new Generator(2);
    const first = new GatedMaskedConv2d(1, 4, 3, { maskType: 'A', generator: g });
    const second = new GatedMaskedConv2d(4, 4, 3, { maskType: 'B', generator: g });
    const fwd = (x: tf.Tensor) => {
      const [v, h] = first.forward(x, x);
      const [, h2] = second.forward(v, h);
      return tf.reshape(h2, [x.shape[0]!, x.shape[1]!, x.shape[2]!, 1, 4]);
    };
    expectCausal(fwd, [1, 6, 6, 1], 3, 3);
    // no blind spot: the pixel up-right of the centre (i − 1, j + 2) reaches (i, j) after two layers
    tf.tidy(() => {
      const base = tf.zeros([1, 6, 6, 1]);
      const bumped = tf.tensor4d(Array.from({ length: 36 }, (_, q) => (q === 2 * 6 + 4 ? 1 : 0)), [1, 6, 6, 1]);
      const diff = tf.sub(fwd(bumped), fwd(base)); // [1, 6, 6, 1, 4]
      const at = tf.slice(diff, [0, 3, 2, 0, 0], [1, 1, 1, 1, 4]).dataSync();
      expect(Math.max(...Array.from(at, Math.abs))).toBeGreaterThan(0);
    });
    first.dispose();
    second.dispose();
  });

  it('RowLSTM (type A): row i sees only earlier pixels', () => {
    const layer = new RowLSTM(1, 3, { maskType: 'A', generator: new Generator(4) });
    expectCausal((x) => tf.reshape(layer.forward(x), [x.shape[0]!, x.shape[1]!, x.shape[2]!, 1, 3]), [2, 5, 4, 1], 3, 5);
    layer.dispose();
  });

  it('PixelCNN (masked and gated, scaled and one-hot inputs) and PixelRNN', () => {
    const g = new Generator(6);
    const models = [
      new PixelCNN({ levels: 2, hiddenChannels: 8, numLayers: 2, generator: g }),
      new PixelCNN({ channels: 2, levels: 3, hiddenChannels: 8, numLayers: 2, gated: true, generator: g }),
      new PixelCNN({ levels: 4, hiddenChannels: 8, numLayers: 1, kernelSize: 3, inputEncoding: 'onehot', generator: g }),
      new PixelRNN({ levels: 2, hiddenChannels: 6, numLayers: 2, generator: g }),
    ];
    for (const m of models) {
      expectCausal((x) => m.forward(x), [2, 5, 6, m.channels], m.levels, 7);
      m.dispose();
    }
  });

  it('ImageTransformer, full causal and local attention', () => {
    const g = new Generator(8);
    for (const window of [undefined, 4]) {
      const m = new ImageTransformer({ imageShape: [5, 6, 2], levels: 3, dModel: 16, nhead: 2, numLayers: 2, window, generator: g });
      expectCausal((x) => m.forward(x), [2, 5, 6, 2], 3, 9);
      m.dispose();
    }
  });

  it('ImageTransformer local attention: one layer with window w sees exactly the w pixels before', () => {
    const m = new ImageTransformer({ imageShape: [3, 4, 1], levels: 2, dModel: 8, nhead: 2, numLayers: 1, window: 3, generator: new Generator(10) });
    tf.tidy(() => {
      const base = tf.zeros([1, 3, 4, 1]);
      const at = (q: number) => tf.tensor4d(Array.from({ length: 12 }, (_, i) => (i === q ? 1 : 0)), [1, 3, 4, 1]);
      const change = (q: number, p: number) => Math.max(...Array.from(tf.slice(tf.sub(m.forward(at(q)), m.forward(base)), [0, Math.floor(p / 4), p % 4, 0, 0], [1, 1, 1, 1, 2]).dataSync(), Math.abs));
      expect(change(5, 8)).toBeGreaterThan(0); // pixel 5 is 3 before pixel 8: inside the window
      expect(change(4, 8)).toBe(0); // 4 before: outside
    });
    m.dispose();
  });
});
