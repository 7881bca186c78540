import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, conv2dWeightLayout, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { conv2d } from '@fovea/layers';
import { expectClose } from '@fovea/test-utils';
import { PatchEmbed, VisionTransformer, attentionRollout, patchEmbed, sinusoidalPositionEncoding } from '../index.js';
import { fixtures, rand, stateOf, t } from '../../test/helpers.js';

const tiny = { imageSize: 12, patchSize: 4, numLayers: 2, numHeads: 2, hiddenDim: 8, mlpDim: 16, numClasses: 5, inChannels: 1 };

describe('VisionTransformer', () => {
  it('loads a torchvision VisionTransformer state dict and matches its logits and input gradient', () => {
    const c = fixtures().vit;
    const vit = new VisionTransformer(tiny);
    tf.tidy(() => {
      const sd = stateOf(c.state);
      expect(Object.keys(vit.stateDict()).sort()).toEqual(Object.keys(sd).sort());
      vit.loadStateDict(sd);
      vit.eval();
      const x = nchwToNhwc(t(c.x));
      expectClose(vit.forward(x), t(c.y), { atol: 1e-5, rtol: 1e-4 });
      const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(vit.forward(xi), t(c.seed))))(x);
      expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-5, rtol: 1e-3 });
    });
    vit.dispose();
  });

  it('returns every block’s attention and initialises like torchvision (zero head and class token)', () => {
    const vit = new VisionTransformer({ ...tiny, generator: new Generator(0) });
    tf.tidy(() => {
      const { logits, attention } = vit.forwardWithAttention(rand([3, 12, 12, 1]));
      expect(logits.shape).toEqual([3, 5]);
      expect(Array.from(logits.dataSync()).every((v) => v === 0)).toBe(true); // zero-initialised head
      expect(attention.map((a) => a.shape)).toEqual([[3, 2, 10, 10], [3, 2, 10, 10]]);
      expectClose(tf.sum(attention[1]!, -1), tf.ones([3, 2, 10]), { atol: 1e-5 });
      const sd = vit.stateDict();
      expect(Array.from(sd['class_token']!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(sd['encoder.pos_embedding']!.shape).toEqual([1, 10, 8]);
      expect(sd['encoder.layers.encoder_layer_1.mlp.3.weight']!.shape).toEqual([8, 16]);
    });
    vit.dispose();
  });

  it('can start the position embedding from a 2-D sine-cosine grid (rows, then columns)', () => {
    const vit = new VisionTransformer({ ...tiny, positionEmbeddingInit: 'sincos2d' });
    tf.tidy(() => {
      const pe = tf.squeeze(vit.encoder.posEmbedding, [0]); // [10, 8]: class token + 3×3 patches
      expect(Array.from(tf.slice(pe, [0, 0], [1, 8]).dataSync())).toEqual(new Array(8).fill(0));
      const table = sinusoidalPositionEncoding(3, 4);
      const patch = (r: number, c: number) => tf.slice(pe, [1 + r * 3 + c, 0], [1, 8]);
      expectClose(patch(2, 1), tf.concat([tf.slice(table, [2, 0], [1, 4]), tf.slice(table, [1, 0], [1, 4])], 1), { atol: 1e-7 });
    });
    vit.dispose();
    expect(() => new VisionTransformer({ ...tiny, hiddenDim: 6, numHeads: 2, positionEmbeddingInit: 'sincos2d' })).toThrow(/a multiple of 4 for positionEmbeddingInit 'sincos2d'/);
  });

  it('rejects images of the wrong size and sizes that are not multiples of the patch', () => {
    expect(() => new VisionTransformer({ ...tiny, imageSize: 10 })).toThrow(/options\.imageSize must be multiples of patchSize 4, got \[10, 10\]/);
    const vit = new VisionTransformer(tiny);
    tf.tidy(() => {
      expect(() => vit.forward(tf.zeros([1, 16, 16, 1]))).toThrow(/VisionTransformer\.forward: x must be shape \[\*, 12, 12, 1\]/);
    });
    vit.dispose();
  });
});

describe('patchEmbed', () => {
  it('equals a strided convolution flattened row-major, and drops partial patches', () => {
    tf.tidy(() => {
      const x = rand([2, 9, 11, 3], 3);
      const w = rand([3, 3, 3, 5], 4);
      const b = rand([5], 5);
      const conv = conv2d(x, w, b, { stride: 3 }); // [2, 3, 3, 5]
      expectClose(patchEmbed(x, w, b), tf.reshape(conv, [2, 9, 5]), { atol: 1e-5 });
      const g1 = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.square(patchEmbed(xi, wi, b))))([x, w]);
      const g2 = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.square(conv2d(xi, wi, b, { stride: 3 }))))([x, w]);
      expectClose(g1[0]!, g2[0]!, { atol: 1e-4 });
      expectClose(g1[1]!, g2[1]!, { atol: 1e-3 });
    });
  });

  it('PatchEmbed keeps the convolution as `proj` in PyTorch layout', () => {
    const m = new PatchEmbed(3, 16, 4);
    tf.tidy(() => {
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(['proj.weight', 'proj.bias']);
      expect(sd['proj.weight']!.shape).toEqual([16, 3, 4, 4]);
      const x = rand([1, 8, 8, 3]);
      expectClose(m.forward(x), patchEmbed(x, conv2dWeightLayout.fromTorch(sd['proj.weight']!), sd['proj.bias']!), { atol: 1e-6 });
      expect(() => patchEmbed(x, tf.zeros([4, 4, 2, 16]))).toThrow(/patchEmbed: weight must be \[P, P, C, E\]/);
    });
    m.dispose();
  });
});

describe('attentionRollout', () => {
  it('multiplies the identity-mixed, renormalised attention of each block (rows sum to 1)', () => {
    tf.tidy(() => {
      const a1 = tf.softmax(rand([1, 2, 3, 3], 6));
      const a2 = tf.softmax(rand([1, 2, 3, 3], 7));
      const mix = (a: tf.Tensor) => {
        const m = tf.add(tf.mean(a, 1), tf.eye(3));
        return tf.div(m, tf.sum(m, -1, true));
      };
      expectClose(attentionRollout([a1, a2]), tf.matMul(mix(a2), mix(a1)), { atol: 1e-6 });
      expectClose(tf.sum(attentionRollout([a1, a2], { headFusion: 'max', residualWeight: 0 }), -1), tf.ones([1, 3]), { atol: 1e-6 });
      expect(() => attentionRollout([])).toThrow(/attentionRollout: attention must be a non-empty array/);
    });
  });
});
