import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { AvgPool2d, avgPool2d } from '../index.js';
import { fx, rand, t } from '../../test/helpers.js';

/** Naive PyTorch-rule average pooling of one [H, W] plane. */
function naive(p: Float32Array, h: number, w: number, k: number, s: number, pad: number, ceil: boolean, include: boolean): number[] {
  const out = (n: number) => {
    let o = Math.floor((n + 2 * pad - k + (ceil ? s - 1 : 0)) / s) + 1;
    if (ceil && (o - 1) * s >= n + pad) o--;
    return o;
  };
  const res: number[] = [];
  for (let i = 0; i < out(h); i++)
    for (let j = 0; j < out(w); j++) {
      const hs = i * s - pad;
      const ws = j * s - pad;
      const he = Math.min(hs + k, h + pad);
      const we = Math.min(ws + k, w + pad);
      const pool = (he - hs) * (we - ws);
      let sum = 0;
      let cnt = 0;
      for (let a = Math.max(hs, 0); a < Math.min(he, h); a++)
        for (let b = Math.max(ws, 0); b < Math.min(we, w); b++) {
          sum += p[a * w + b]!;
          cnt++;
        }
      res.push(sum / (include ? pool : cnt));
    }
  return res;
}

describe('avgPool2d', () => {
  it("follows PyTorch's divisor rule (count_include_pad, ceil-mode overhang)", () => {
    for (const [k, s, pad, ceil, include] of [
      [3, 2, 1, true, true],
      [3, 2, 1, true, false],
      [2, 3, 1, true, true],
      [4, 3, 2, false, false],
    ] as const) {
      tf.tidy(() => {
        const x = rand([1, 9, 8, 1], k * 3 + s);
        const y = avgPool2d(x, { kernelSize: k, stride: s, padding: pad, ceilMode: ceil, countIncludePad: include });
        expectClose(y, naive(x.dataSync() as Float32Array, 9, 8, k, s, pad, ceil, include), { atol: 1e-6, rtol: 1e-5 });
      });
    }
  });

  it('matches PyTorch with divisor_override, gradient included', () => {
    const c = fx.avg_pool2d_override;
    tf.tidy(() => {
      const x = nchwToNhwc(t(c.x));
      const opts = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 4 };
      expectClose(nhwcToNchw(avgPool2d(x, opts)), t(c.y), { atol: 1e-5, rtol: 1e-5 });
      const seed = nchwToNhwc(t(c.seed));
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(avgPool2d(v, opts), seed)))(x);
      expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-5, rtol: 1e-5 });
    });
  });

  it('AvgPool2d validates at construction', () => {
    expect(() => new AvgPool2d(2, { padding: 3 })).toThrow(/at most half/);
  });
});
