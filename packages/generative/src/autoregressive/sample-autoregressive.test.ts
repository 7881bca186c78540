import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { PixelCNN } from './pixel-cnn.js';
import { inpaint, sampleAutoregressive, type AutoregressiveImageModel } from './sample-autoregressive.js';

/**
 * A hand-made autoregressive model over {0, 1, 2}: the first pixel of each
 * row is 2 with certainty on row 0 and copies the pixel above otherwise;
 * every later pixel is (left + 1) mod 3. Only consistent with raster-order
 * sampling that conditions on everything drawn so far.
 */
const chain: AutoregressiveImageModel = {
  levels: 3,
  forward(x) {
    return tf.tidy(() => {
      const [n, h, w] = x.shape as [number, number, number, number];
      const left = tf.pad(tf.slice(x, [0, 0, 0, 0], [n, h, w - 1, 1]), [[0, 0], [0, 0], [1, 0], [0, 0]]); // x(i, j−1)
      const above = tf.pad(tf.slice(x, [0, 0, 0, 0], [n, h - 1, 1, 1]), [[0, 0], [1, 0], [0, 0], [0, 0]]); // x(i−1, 0)
      const col = tf.reshape(tf.range(0, w), [1, 1, w, 1]);
      const row = tf.reshape(tf.range(0, h), [1, h, 1, 1]);
      const firstCol = tf.where(tf.equal(tf.add(row, tf.zeros([n, h, 1, 1])), 0), tf.fill([n, h, 1, 1], 2), above);
      const want = tf.where(tf.equal(tf.add(col, tf.zeros([n, h, w, 1])), 0), tf.tile(firstCol, [1, 1, w, 1]), tf.mod(tf.add(left, 1), 3));
      return tf.mul(tf.oneHot(tf.cast(tf.reshape(want, [n, h, w, 1]), 'int32'), 3), 50); // [N, H, W, 1, 3]
    });
  },
};

describe('sampleAutoregressive', () => {
  it('draws pixel by pixel in raster order, each conditioned on the ones before', async () => {
    const s = await sampleAutoregressive(chain, [2, 3, 4, 1], { generator: new Generator(0) });
    const row = [2, 0, 1, 2];
    expect(values(s)).toEqual([...row, ...row, ...row, ...row, ...row, ...row]);
    s.dispose();
  });

  it('inpaints: keeps the known pixels and completes the others consistently', async () => {
    const x = tf.tensor4d([1, 2, 0, 1, 0, 0, 0, 0], [1, 2, 4, 1]); // row 0 known (not what the chain would draw)
    const mask = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 4, 1]);
    const steps: number[] = [];
    const out = await inpaint(chain, x, mask, { generator: new Generator(0), onStep: (d) => steps.push(d) });
    expect(values(out)).toEqual([1, 2, 0, 1, 1, 2, 0, 1]); // row 1 starts from the known pixel above
    expect(steps).toEqual([1, 2, 3, 4]); // only the 4 masked positions were visited
    tf.dispose([x, mask, out]);
  });

  it('samples real models reproducibly, in range, and matches the model distribution', async () => {
    const m = new PixelCNN({ levels: 3, hiddenChannels: 8, numLayers: 1, kernelSize: 3, generator: new Generator(1) });
    const a = await sampleAutoregressive(m, [3, 4, 4, 1], { generator: new Generator(7) });
    const b = await sampleAutoregressive(m, [3, 4, 4, 1], { generator: new Generator(7) });
    expect(values(a)).toEqual(values(b));
    expect(values(a).every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
    // the first pixel sees nothing: its frequencies follow softmax(logits at (0, 0))
    const probs = tf.tidy(() => values(tf.softmax(tf.reshape(tf.slice(m.forward(tf.zeros([1, 4, 4, 1])), [0, 0, 0, 0, 0], [1, 1, 1, 1, 3]), [3]))));
    const big = await sampleAutoregressive({ levels: 3, forward: (x) => m.forward(x) }, [3000, 1, 1, 1], { generator: new Generator(8) });
    const v = values(big);
    for (let k = 0; k < 3; k++) expect(Math.abs(v.filter((q) => q === k).length / v.length - probs[k]!)).toBeLessThan(0.03);
    tf.dispose([a, b, big]);
    m.dispose();
  });

  it('validates', async () => {
    await expect(sampleAutoregressive(chain, [1, 2, 2, 1], { temperature: 0 })).rejects.toThrow(/sampleAutoregressive: options.temperature must be a finite number > 0, got 0/);
    const m = tf.zeros([1, 2, 3, 1]);
    await expect(sampleAutoregressive(chain, [1, 2, 2, 1], { mask: m })).rejects.toThrow(/options.mask must be shape \[1, 2, 2, 1 or 1\], got shape \[1, 2, 3, 1\]/);
    m.dispose();
  });
});
