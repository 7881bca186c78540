import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { convTranspose2dWeightLayout, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { ConvTranspose2d, conv2d, convTranspose2d } from '../index.js';
import { fx, numericGradCheck, onGradBackend, rand, t } from '../../test/helpers.js';

describe('convTranspose2d', () => {
  it('is the adjoint of conv2d: <conv2d(x, w), y> = <x, convTranspose2d(y, w)>', () => {
    for (const [s, p, d, g] of [
      [2, 1, 1, 1],
      [3, 0, 2, 1],
      [2, 2, 1, 2],
      [1, 1, 2, 2],
    ] as const) {
      tf.tidy(() => {
        const x = rand([2, 9, 8, 4], s + p);
        const w = rand([3, 3, 4 / g, 6], 7 * d); // conv2d weight [kH, kW, Cin/g, Cout]
        const y = conv2d(x, w, null, { stride: s, padding: p, dilation: d, groups: g });
        const v = rand(y.shape, 11);
        // conv2d's [kH, kW, Cin/g, Cout] is exactly the adjoint's [kH, kW, Cout'/g, Cin'] (as in PyTorch, same tensor)
        const wt = w;
        const opH = (9 + 2 * p - d * 2 - 1) % s;
        const opW = (8 + 2 * p - d * 2 - 1) % s;
        const back = convTranspose2d(v, wt, null, { stride: s, padding: p, dilation: d, groups: g, outputPadding: [opH, opW] });
        expect(back.shape).toEqual(x.shape);
        expectClose(tf.sum(tf.mul(y, v)), tf.sum(tf.mul(x, back)), { atol: 1e-3, rtol: 1e-4 });
      });
    }
  });

  it('has gradients that agree with finite differences (general route: groups and dilation)', async () => {
    await onGradBackend(() => {
      const x = rand([1, 4, 3, 4], 1);
      const w = rand([3, 2, 3, 4], 2); // [kH, kW, Cout/g, Cin], groups 2 → Cout 6
      const opts = { stride: [2, 3] as [number, number], padding: [1, 0] as [number, number], outputPadding: [1, 2] as [number, number], groups: 2, dilation: [2, 1] as [number, number] };
      const seed = tf.tidy(() => rand(convTranspose2d(x, w, null, opts).shape, 3));
      const lx = (v: tf.Tensor) => tf.sum(tf.mul(convTranspose2d(v, w, null, opts), seed)) as tf.Scalar;
      const lw = (v: tf.Tensor) => tf.sum(tf.mul(convTranspose2d(x, v, null, opts), seed)) as tf.Scalar;
      const gx = tf.grad(lx)(x);
      const gw = tf.grad(lw)(w);
      expect(numericGradCheck(lx, x, gx)).toBeLessThan(2e-2);
      expect(numericGradCheck(lw, w, gw)).toBeLessThan(2e-2);
      tf.dispose([x, w, seed, gx, gw]);
    });
  });

  it('rejects an output padding of a stride or more', () => {
    tf.tidy(() => {
      expect(() => convTranspose2d(tf.zeros([1, 3, 3, 2]), tf.zeros([3, 3, 2, 2]), null, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding/);
    });
  });
});

describe('ConvTranspose2d', () => {
  it("takes PyTorch's output_size argument", () => {
    const c = fx.conv_transpose_output_size;
    const m = new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1 });
    tf.tidy(() => {
      m.loadStateDict({ weight: t(c.weight), bias: t(c.bias) });
      const y = m.forward(nchwToNhwc(t(c.x)), [8, 10]);
      expectClose(nhwcToNchw(y), t(c.y), { atol: 1e-4, rtol: 1e-4 });
      expect(m.stateDict()['weight']!.shape).toEqual([3, 2, 3, 3]);
      expect(convTranspose2dWeightLayout.torchShape(m.weight.shape)).toEqual([3, 2, 3, 3]);
    });
    m.dispose();
  });
});
