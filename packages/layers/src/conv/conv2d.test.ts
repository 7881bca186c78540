import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FoveaError, Generator } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Conv2d, conv2d } from '../index.js';
import { naiveConv2d, numericGradCheck, onGradBackend, rand } from '../../test/helpers.js';

type Cfg = { x: number[]; k: [number, number]; cout: number; stride?: [number, number]; padding?: number | [number, number] | 'same'; dilation?: [number, number]; groups?: number };

const configs: Cfg[] = [
  { x: [2, 7, 6, 3], k: [3, 3], cout: 4, padding: 1 },
  { x: [1, 9, 8, 4], k: [3, 2], cout: 6, stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 },
  { x: [1, 6, 6, 3], k: [4, 4], cout: 2, padding: 'same' },
  { x: [1, 7, 7, 2], k: [2, 3], cout: 2, padding: 'same', dilation: [2, 1] },
  { x: [2, 8, 7, 4], k: [3, 3], cout: 8, stride: [2, 2], padding: 1, groups: 4 }, // depthwise, multiplier 2
  { x: [1, 10, 9, 3], k: [3, 3], cout: 3, stride: [3, 2], padding: 2, dilation: [2, 2], groups: 3 }, // depthwise, strided and dilated
];

function pads(c: Cfg): [[number, number], [number, number]] {
  if (c.padding === 'same') {
    const d = c.dilation ?? [1, 1];
    return [0, 1].map((i) => {
      const total = d[i]! * (c.k[i]! - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }) as [[number, number], [number, number]];
  }
  const p = typeof c.padding === 'number' ? [c.padding, c.padding] : (c.padding ?? [0, 0]);
  return [
    [p[0]!, p[0]!],
    [p[1]!, p[1]!],
  ];
}

describe('conv2d', () => {
  it('matches a naive cross-correlation (stride, padding incl. same, dilation, groups, depthwise)', () => {
    configs.forEach((c, i) => {
      const g = c.groups ?? 1;
      const x = rand(c.x, 10 + i);
      const w = rand([c.k[0], c.k[1], c.x[3]! / g, c.cout], 50 + i);
      const b = rand([c.cout], 90 + i);
      const y = conv2d(x, w, b, { stride: c.stride ?? 1, padding: c.padding ?? 0, dilation: c.dilation ?? 1, groups: g });
      const ref = naiveConv2d(x, w, { stride: c.stride ?? [1, 1], pad: pads(c), dilation: c.dilation ?? [1, 1], groups: g });
      const want = tf.add(ref, b);
      expectClose(y, want, { atol: 1e-4, rtol: 1e-4 });
      tf.dispose([x, w, b, y, ref, want]);
    });
  });

  it("'same' puts the extra row and column of an even kernel at the bottom/right (PyTorch)", () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const w = tf.tensor4d([1, 0, 0, 0], [2, 2, 1, 1]); // picks the top-left tap
    const y = conv2d(x, w, null, { padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]); // no shift: padding is after
    tf.dispose([x, w, y]);
  });

  it('has gradients that agree with finite differences, depthwise and grouped included', async () => {
    await onGradBackend(() => {
      for (const c of [configs[1]!, configs[4]!, configs[5]!]) {
        const g = c.groups ?? 1;
        const x = rand(c.x, 3);
        const w = rand([c.k[0], c.k[1], c.x[3]! / g, c.cout], 4);
        const opts = { stride: c.stride ?? 1, padding: c.padding ?? 0, dilation: c.dilation ?? 1, groups: g };
        const seed = tf.tidy(() => rand(conv2d(x, w, null, opts).shape, 5));
        const lossX = (v: tf.Tensor) => tf.sum(tf.mul(conv2d(v, w, null, opts), seed)) as tf.Scalar;
        const lossW = (v: tf.Tensor) => tf.sum(tf.mul(conv2d(x, v, null, opts), seed)) as tf.Scalar;
        const [gx, gw] = [tf.grad(lossX)(x), tf.grad(lossW)(w)];
        expect(numericGradCheck(lossX, x, gx)).toBeLessThan(2e-2);
        expect(numericGradCheck(lossW, w, gw)).toBeLessThan(2e-2);
        tf.dispose([x, w, seed, gx, gw]);
      }
    });
  });

  it('rejects a channel mismatch, a strided same padding and bad groups', () => {
    const x = tf.zeros([1, 5, 5, 3]);
    const w = tf.zeros([3, 3, 4, 2]);
    expect(() => conv2d(x, w)).toThrow(FoveaError);
    expect(() => conv2d(x, w)).toThrow(/conv2d: weight must be/);
    const w3 = tf.zeros([3, 3, 3, 2]);
    expect(() => conv2d(x, w3, null, { padding: 'same', stride: 2 })).toThrow(/'same' only with stride 1/);
    tf.tidy(() => {
      expect(() => conv2d(x, w3, null, { padding: 4 })).not.toThrow();
    });
    const small = tf.zeros([1, 2, 2, 3]);
    expect(() => conv2d(small, w3)).toThrow(/padded size/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/groups/);
    tf.dispose([x, w, w3, small]);
  });

  it("takes explicit [[top, bottom], [left, right]] padding and 'valid'", () => {
    tf.tidy(() => {
      const x = rand([1, 5, 6, 2], 7);
      const w = rand([3, 2, 2, 3], 8);
      const ref = naiveConv2d(x, w, { stride: [1, 2], pad: [[0, 2], [1, 0]], dilation: [1, 1], groups: 1 });
      expectClose(conv2d(x, w, null, { stride: [1, 2], padding: [[0, 2], [1, 0]] }), ref, { atol: 1e-5 });
      expectClose(conv2d(x, w, null, { padding: 'valid' }), conv2d(x, w), { atol: 0 });
    });
  });

  it('handles an empty batch', () => {
    tf.tidy(() => {
      const y = conv2d(tf.zeros([0, 5, 5, 3]), tf.ones([3, 3, 3, 2]), tf.ones([2]));
      expect(y.shape).toEqual([0, 3, 3, 2]);
    });
  });
});

describe('Conv2d', () => {
  it('uses PyTorch names, layouts and default init bounds, seeded', () => {
    const a = new Conv2d(4, 6, [3, 2], { groups: 2, generator: new Generator(3) });
    const b = new Conv2d(4, 6, [3, 2], { groups: 2, generator: new Generator(3) });
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd['weight']!.shape).toEqual([6, 2, 3, 2]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    expect(Math.max(...Array.from(sd['weight']!.dataSync()).map(Math.abs))).toBeLessThanOrEqual(bound);
    expectClose(a.weight, b.weight, { atol: 0, rtol: 0 });
    Object.values(sd).forEach((t) => t.dispose());
    a.dispose();
    b.dispose();
  });

  it('loads a PyTorch state dict and runs NHWC', () => {
    const conv = new Conv2d(1, 1, 3, { padding: 1, bias: false });
    const w = tf.ones([1, 1, 3, 3]);
    conv.loadStateDict({ weight: w });
    const x = tf.ones([1, 3, 3, 1]);
    const y = conv.forward(x);
    expect(Array.from(y.dataSync())).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    tf.dispose([w, x, y]);
    conv.dispose();
  });
});
