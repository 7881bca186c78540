import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { SSIM, ssim } from '@fovea/metrics';

interface Case {
  preds: number[][][][];
  targets: number[][][][];
  data_range: number;
  ssim: number;
  'ssim_k1_0.02_k2_0.05': number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { image: Case[] };

describe('ssim', () => {
  it('matches scikit-image (Gaussian 11 taps, reflect borders, NHWC, 11×11 images, odd sizes, range 255)', async () => {
    for (const c of fx.image) {
      expectClose(await ssim(c.preds, c.targets, { dataRange: c.data_range }), c.ssim, { atol: 1e-10 });
      expectClose(await ssim(c.preds, c.targets, { dataRange: c.data_range, k1: 0.02, k2: 0.05 }), c['ssim_k1_0.02_k2_0.05'], { atol: 1e-10 });
    }
  });

  it('is 1 for identical images, streams over images and reads tensors', async () => {
    const c = fx.image[2]!;
    const t = tf.tensor4d(c.targets);
    expectClose(await ssim(t, t), 1, { atol: 1e-12 });
    const m = new SSIM({ dataRange: c.data_range });
    for (let i = 0; i < c.preds.length; i++) await m.update([c.preds[i]!], [c.targets[i]!]);
    expectClose(m.compute(), c.ssim, { atol: 1e-10 });
    t.dispose();
    m.reset();
    expect(m.compute()).toBeNaN();
  });

  it('rejects images smaller than the window and non-NHWC input', async () => {
    const small = tf.zeros([1, 10, 12, 1]);
    await expect(ssim(small, small)).rejects.toThrow('ssim: preds must be images of at least 11×11 pixels (the Gaussian window) as [N, H, W, C], got shape [1, 10, 12, 1]');
    small.dispose();
    await expect(ssim([[1]], [[1]])).rejects.toThrow(/ssim: preds must be rank 4, got shape \[1, 1\]/);
  });
});
