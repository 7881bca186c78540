import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, conv2dWeightLayout, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { CBAM, LocalAttention2d, SKConv, SelfAttention2d, SqueezeExcitation, cbam, squeezeExcitation } from '../index.js';
import { fixtures, gradsOf, rand, stateOf, t } from '../../test/helpers.js';

describe('SqueezeExcitation', () => {
  it('rescales each channel by σ(fc2(relu(fc1(mean)))) with torchvision’s keys', () => {
    const se = new SqueezeExcitation(8, 2, { generator: new Generator(0) });
    tf.tidy(() => {
      const x = rand([2, 3, 4, 8], 1);
      const sd = se.stateDict();
      expect(Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]))).toEqual({ 'fc1.weight': [2, 8, 1, 1], 'fc1.bias': [2], 'fc2.weight': [8, 2, 1, 1], 'fc2.bias': [8] });
      const w1 = tf.reshape(sd['fc1.weight']!, [2, 8]);
      const w2 = tf.reshape(sd['fc2.weight']!, [8, 2]);
      const s = tf.mean(x, [1, 2]); // [2, 8]
      const g = tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(s, w1, false, true), sd['fc1.bias']!)), w2, false, true), sd['fc2.bias']!));
      expectClose(se.forward(x), tf.mul(x, tf.reshape(g, [2, 1, 1, 8])), { atol: 1e-6 });
      expect(() => squeezeExcitation(x, { fc1Weight: tf.zeros([1, 1, 8, 2]), fc2Weight: tf.zeros([1, 1, 2, 4]) })).toThrow(/weights\.fc2Weight must be \[1, 1, 2, 8\]/);
    });
    se.dispose();
  });
});

describe('CBAM', () => {
  it('channel attention then spatial attention, with the documented keys', () => {
    const m = new CBAM(8, { reduction: 4, kernelSize: 3, generator: new Generator(1) });
    tf.tidy(() => {
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(['channel.fc1.weight', 'channel.fc1.bias', 'channel.fc2.weight', 'channel.fc2.bias', 'spatial.conv.weight', 'spatial.conv.bias']);
      const x = rand([2, 5, 6, 8], 2);
      const w = {
        fc1Weight: conv2dWeightLayout.fromTorch(sd['channel.fc1.weight']!), fc1Bias: sd['channel.fc1.bias']!,
        fc2Weight: conv2dWeightLayout.fromTorch(sd['channel.fc2.weight']!), fc2Bias: sd['channel.fc2.bias']!,
        spatialWeight: conv2dWeightLayout.fromTorch(sd['spatial.conv.weight']!), spatialBias: sd['spatial.conv.bias']!,
      };
      expectClose(m.forward(x), cbam(x, w), { atol: 1e-6 });
      // the channel gate alone (spatial weights zero, bias 0 → Ms = 0.5)
      const mlp = (d: tf.Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(d, tf.reshape(w.fc1Weight, [8, 2])), w.fc1Bias)), tf.reshape(w.fc2Weight, [2, 8])), w.fc2Bias);
      const mc = tf.sigmoid(tf.add(mlp(tf.mean(x, [1, 2])), mlp(tf.max(x, [1, 2]))));
      const zeroSpatial = cbam(x, { ...w, spatialWeight: tf.zeros([3, 3, 2, 1]), spatialBias: tf.zeros([1]) });
      expectClose(zeroSpatial, tf.mul(tf.mul(x, tf.reshape(mc, [2, 1, 1, 8])), 0.5), { atol: 1e-6 });
      expect(() => cbam(x, { ...w, spatialWeight: tf.zeros([4, 4, 2, 1]) })).toThrow(/weights\.spatialWeight must be \[k, k, 2, 1\] with odd k/);
    });
    m.dispose();
  });
});

describe('SKConv against a PyTorch SKNet block', () => {
  it('eval mode: branches with dilation 1 and 2 (groups 2), fuse, select', () => {
    const c = fixtures().sk_conv;
    const sk = new SKConv(8, { branches: 2, groups: 2, reduction: 4, minDim: 4 });
    tf.tidy(() => {
      const sd = stateOf(c.state);
      expect(Object.keys(sk.stateDict()).sort()).toEqual(Object.keys(sd).sort());
      sk.loadStateDict(sd);
      sk.eval();
      const r = sk.forwardWithAttention(nchwToNhwc(t(c.x)));
      expectClose(nhwcToNchw(r.output), t(c.y), { atol: 1e-5, rtol: 1e-4 });
      expectClose(r.attention, t(c.attention), { atol: 1e-6 });
    });
    sk.dispose();
  });
});

describe('SelfAttention2d against SAGAN’s self-attention block', () => {
  it('output, attention map and input gradient', () => {
    const c = fixtures().self_attention_2d;
    const m = new SelfAttention2d(16);
    tf.tidy(() => {
      m.loadStateDict(stateOf(c.state));
      const x = nchwToNhwc(t(c.x));
      const r = m.forward(x);
      expectClose(nhwcToNchw(r.output), t(c.y), { atol: 1e-5, rtol: 1e-4 });
      expectClose(r.weights, t(c.weights), { atol: 1e-6 });
      const [dx] = gradsOf((a) => nhwcToNchw(m.forward(nchwToNhwc(a!)).output), [t(c.x)], t(c.seed));
      expectClose(dx!, t(c.dx), { atol: 1e-4, rtol: 1e-3 });
    });
    m.dispose();
  });

  it('starts as the identity (γ = 0)', () => {
    const m = new SelfAttention2d(8, { reduction: 2 });
    tf.tidy(() => {
      const x = rand([1, 3, 3, 8]);
      expectClose(m.forward(x).output, x, { atol: 0 });
    });
    m.dispose();
  });
});

describe('LocalAttention2d against stand-alone self-attention (loops)', () => {
  for (const [i, c] of (fixtures().local_attention_2d as any[]).entries()) {
    it(`case ${i}: k ${c.kernel_size}, stride ${c.stride}, ${c.heads} heads`, () => {
      const m = new LocalAttention2d(c.in, c.out, { kernelSize: c.kernel_size, stride: c.stride, heads: c.heads });
      tf.tidy(() => {
        m.loadStateDict(stateOf(c.state));
        const f = (a: tf.Tensor) => nhwcToNchw(m.forward(nchwToNhwc(a)));
        expectClose(f(t(c.x)), t(c.y), { atol: 1e-5, rtol: 1e-4 });
        const [dx] = gradsOf((a) => f(a!), [t(c.x)], t(c.seed));
        expectClose(dx!, t(c.dx), { atol: 1e-4, rtol: 1e-3 });
      });
      m.dispose();
    });
  }

  it('keeps a convolution’s output size and checks its channels', () => {
    const m = new LocalAttention2d(4, 8, { kernelSize: 3, stride: 2, heads: 2 });
    tf.tidy(() => {
      expect(m.forward(tf.zeros([1, 7, 6, 4])).shape).toEqual([1, 4, 3, 8]);
      expect(() => m.forward(tf.zeros([1, 7, 6, 3]))).toThrow(/LocalAttention2d\.forward: x must be \[B, H, W, 4\]/);
    });
    m.dispose();
    expect(() => new LocalAttention2d(4, 6, { heads: 4 })).toThrow(/outChannels must be divisible by heads \(4\), got 6/);
  });
});
