import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { PSNR, psnr } from '@fovea/metrics';

interface Case {
  preds: number[][][][];
  targets: number[][][][];
  data_range: number;
  psnr: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { image: Case[] };

describe('psnr', () => {
  it('matches scikit-image (one MSE over the batch; data ranges 1 and 255)', async () => {
    for (const c of fx.image) expectClose(await psnr(c.preds, c.targets, { dataRange: c.data_range }), c.psnr, { atol: 1e-9 });
  });

  it('streams and reads tensors', async () => {
    const c = fx.image[0]!;
    const m = new PSNR({ dataRange: c.data_range });
    for (let i = 0; i < c.preds.length; i++) {
      const p = tf.tensor4d([c.preds[i]!]);
      await m.update(p, [c.targets[i]!]);
      p.dispose();
    }
    expectClose(m.compute(), c.psnr, { atol: 1e-5 });
    expect(await psnr([1, 2], [1, 2])).toBe(Infinity);
    m.reset();
    expect(m.compute()).toBeNaN();
  });

  it('rejects mismatched shapes and a bad data range', async () => {
    await expect(psnr([1, 2], [1, 2, 3])).rejects.toThrow('psnr: targets must be the shape of preds [2], got shape [3]');
    await expect(psnr([1], [1], { dataRange: 0 })).rejects.toThrow(/options.dataRange must be a finite number > 0, got 0/);
  });
});
