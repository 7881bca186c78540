import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { FoveaError } from '../errors/fovea-error.js';
import { nchwToNhwc, nhwcToNchw } from './channels.js';
import {
  conv2dWeightLayout,
  conv3dWeightLayout,
  convTranspose2dWeightLayout,
  identityLayout,
  linearWeightLayout,
} from './layout.js';
import { poolIndicesFromTorch, poolIndicesToTorch } from './pool-indices.js';

describe('channel layouts', () => {
  it('moves channels last and back', () => tf.tidy(() => {
    const x = tf.reshape(tf.range(0, 2 * 3 * 4 * 5), [2, 3, 4, 5]); // NCHW
    const y = nchwToNhwc(x);
    expect(y.shape).toEqual([2, 4, 5, 3]);
    // y[n, h, w, c] = x[n, c, h, w]: y[1, 2, 3, 1] = x[1, 1, 2, 3] = 60 + 20 + 10 + 3
    expect(tf.slice(y, [1, 2, 3, 1], [1, 1, 1, 1]).dataSync()[0]).toBe(93);
    const z = nhwcToNchw(y);
    expectClose(z, x, { atol: 0, rtol: 0 });
    const v = nchwToNhwc(tf.zeros([1, 2, 3, 4, 5]));
    expect(v.shape).toEqual([1, 3, 4, 5, 2]);
    expect(() => nchwToNhwc(tf.zeros([2, 2]))).toThrow(/rank 3 or 4 or 5, got rank 2/);
    tf.dispose([x, y, z, v]);
  }));

  it('tidies its inputs-only errors (no tensors made)', () => tf.tidy(() => {
    const before = tf.memory().numTensors;
    expect(() => nhwcToNchw('x' as unknown as tf.Tensor)).toThrow(FoveaError);
    expect(tf.memory().numTensors).toBe(before);
  }));
});

describe('PyTorch weight layouts', () => {
  it('round-trip and agree with the convolutions they feed', () => tf.tidy(() => {
    // a conv2d with a PyTorch weight [Cout=2, Cin=3, 2, 2] equals tf.conv2d with the converted filter
    const wTorch = tf.reshape(tf.range(0, 24), [2, 3, 2, 2]);
    const filter = conv2dWeightLayout.fromTorch(wTorch);
    expect(filter.shape).toEqual([2, 2, 3, 2]);
    expect(conv2dWeightLayout.torchShape(filter.shape)).toEqual([2, 3, 2, 2]);
    const back = conv2dWeightLayout.toTorch(filter);
    expectClose(back, wTorch, { atol: 0, rtol: 0 });
    // one output: x all ones of [1, 2, 2, 3] -> y[0,0,0,c] = sum of w[c]
    const y = tf.conv2d(tf.ones([1, 2, 2, 3]) as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid');
    expectClose(y, [tf.sum(tf.range(0, 12)).dataSync()[0]!, tf.sum(tf.range(12, 24)).dataSync()[0]!]);
    tf.dispose([wTorch, filter, back, y]);
  }));

  it('map shapes for linear, transposed and 3-D convolutions', () => tf.tidy(() => {
    expect(linearWeightLayout.torchShape([5, 7])).toEqual([7, 5]);
    expect(convTranspose2dWeightLayout.torchShape([4, 4, 8, 16])).toEqual([16, 8, 4, 4]);
    expect(conv3dWeightLayout.torchShape([3, 3, 3, 2, 8])).toEqual([8, 2, 3, 3, 3]);
    const t = tf.reshape(tf.range(0, 6), [2, 3]);
    const a = linearWeightLayout.fromTorch(t);
    expect(a.shape).toEqual([3, 2]);
    const i = identityLayout.toTorch(t);
    expect(i).not.toBe(t);
    tf.dispose([t, a, i]);
  }));
});

describe('pooling indices', () => {
  it('convert TensorFlow argmax indices to PyTorch per-plane indices and back', () => tf.tidy(() => {
    // input [N=2, H=2, W=3, C=2]; pick positions (h, w) per (n, c)
    const N = 2, H = 2, W = 3, C = 2;
    const picks = [[1, 2], [0, 1], [1, 0], [0, 0]]; // (n, c) in order n0c0, n0c1, n1c0, n1c1
    const withBatch: number[] = [];
    const noBatch: number[] = [];
    const torch: number[] = [];
    picks.forEach(([h, w], k) => {
      const n = Math.floor(k / C), c = k % C;
      withBatch.push(((n * H + h!) * W + w!) * C + c);
      noBatch.push((h! * W + w!) * C + c);
      torch.push(h! * W + w!);
    });
    const a = tf.tensor4d(withBatch, [N, 1, 1, C], 'int32');
    const b = tf.tensor4d(noBatch, [N, 1, 1, C], 'int32');
    const ta = poolIndicesToTorch(a, [N, H, W, C], true);
    const tb = poolIndicesToTorch(b, [N, H, W, C], false);
    expect(Array.from(ta.dataSync())).toEqual(torch);
    expect(Array.from(tb.dataSync())).toEqual(torch);
    const back = poolIndicesFromTorch(tb);
    expect(Array.from(back.dataSync())).toEqual(noBatch);
    expect(() => poolIndicesToTorch(a, [1, 2], true)).toThrow(/\[N, H, W, C\]/);
    tf.dispose([a, b, ta, tb, back]);
  }));
});
