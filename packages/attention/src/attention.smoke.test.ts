/**
 * Small, fast checks of every op family on every lane (cpu, wasm, webgpu):
 * forward values against explicit formulas, gradients flowing, no leaks.
 * Results are read with `await t.data()` (WebGPU tensors cannot be read synchronously).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import {
  CBAM,
  LocalAttention2d,
  MultiHeadAttentionLayer,
  MultiheadAttention,
  SKConv,
  SelfAttention2d,
  SqueezeExcitation,
  TransformerDecoderLayer,
  TransformerEncoderLayer,
  VisionTransformer,
  RecurrentAttentionModel,
  attentionRollout,
  glimpseSensor,
  patchEmbed,
  ramLoss,
  scaledDotProductAttention,
  sinusoidalPositionEncoding,
} from './index.js';
import { rand } from '../test/helpers.js';

async function expectNear(a: tf.Tensor, b: tf.Tensor, atol = 1e-4): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  expect(worst).toBeLessThanOrEqual(atol);
}

async function expectFinite(...ts: tf.Tensor[]): Promise<void> {
  for (const t of ts) expect(Array.from(await t.data()).every(Number.isFinite)).toBe(true);
}

/** Runs `f` (which returns tensors to check) and disposes everything it made. */
async function scoped(f: () => Promise<void> | void): Promise<void> {
  tf.engine().startScope();
  try {
    await f();
  } finally {
    tf.engine().endScope();
  }
}

describe('attention smoke', () => {
  it('scaled dot-product attention with masks, and its gradients', () =>
    scoped(async () => {
      const q = rand([1, 2, 3, 4], 1);
      const k = rand([1, 2, 5, 4], 2);
      const v = rand([1, 2, 5, 3], 3);
      const mask = tf.tensor2d([1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1], [3, 5], 'bool');
      const r = scaledDotProductAttention(q, k, v, { mask, isCausal: true });
      const allowed = tf.logicalAnd(mask, tf.cast(tf.linalg.bandPart(tf.ones([3, 5]), -1, 0), 'bool'));
      const w = tf.softmax(tf.where(allowed, tf.mul(tf.matMul(q, k, false, true), 0.5), tf.fill([1, 2, 3, 5], -Infinity)));
      await expectNear(r.weights, w);
      await expectNear(r.output, tf.matMul(w, v));
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(scaledDotProductAttention(a, b, c, { mask }).output))([q, k, v]);
      await expectFinite(...g);
    }));

  it('empty batches and key sets', () =>
    scoped(async () => {
      const r = scaledDotProductAttention(tf.ones([1, 3, 4]), tf.zeros([1, 0, 4]), tf.zeros([1, 0, 2]));
      expect(Array.from(await r.output.data())).toEqual([0, 0, 0, 0, 0, 0]);
      const mha = new MultiheadAttention(4, 2);
      const e = mha.forward(tf.zeros([0, 3, 4]), tf.zeros([0, 5, 4]), tf.zeros([0, 5, 4]));
      expect([e.output.shape, e.weights!.shape]).toEqual([[0, 3, 4], [0, 3, 5]]);
      const g = tf.grad((q: tf.Tensor) => tf.sum(scaledDotProductAttention(q, tf.zeros([1, 0, 4]), tf.zeros([1, 0, 2])).output))(tf.ones([1, 3, 4]));
      expect(Array.from(await g.data()).every((v) => v === 0)).toBe(true);
      mha.dispose();
    }));

  it('multi-head attention and Transformer layers', () =>
    scoped(async () => {
      const g = new Generator(0);
      const mha = new MultiheadAttention(8, 2, { generator: g });
      const x = rand([2, 4, 8], 4);
      const r = mha.forward(x, x, x, { keyPaddingMask: tf.tensor2d([0, 0, 0, 1, 0, 0, 0, 0], [2, 4], 'bool') });
      expect(r.output.shape).toEqual([2, 4, 8]);
      const w = await r.weights!.data();
      expect(w[3]).toBe(0);
      const enc = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, normFirst: true, activation: 'gelu', generator: g });
      const dec = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, generator: g });
      const y = dec.forward(x, enc.forward(x, { isCausal: true }), { tgtIsCausal: true });
      const { grads } = tf.variableGrads(() => tf.sum(dec.forward(x, enc.forward(x))) as tf.Scalar, [...enc.parameters(), ...dec.parameters()]);
      await expectFinite(y, ...Object.values(grads));
      for (const m of [mha, enc, dec]) m.dispose();
    }));

  it('ViT pieces: patch embedding, positional table, forward with attention, rollout', () =>
    scoped(async () => {
      const x = rand([1, 8, 8, 1], 5);
      const w = rand([4, 4, 1, 6], 6);
      const tokens = patchEmbed(x, w, null);
      const manual = tf.reshape(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 4, 'valid'), [1, 4, 6]);
      await expectNear(tokens, manual);
      await expectNear(tf.slice(sinusoidalPositionEncoding(3, 4), [2, 0], [1, 4]), tf.tensor2d([[Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)]]), 1e-6);
      const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, inChannels: 1, numLayers: 1, numHeads: 2, hiddenDim: 8, mlpDim: 8, numClasses: 3, generator: new Generator(1) });
      const { logits, attention } = vit.forwardWithAttention(x);
      expect(logits.shape).toEqual([1, 3]);
      await expectNear(tf.sum(attentionRollout(attention), -1), tf.ones([1, 5]), 1e-5);
      vit.dispose();
    }));

  it('attention in CNNs: SE, CBAM, SK, SAGAN block, local attention (strided)', () =>
    scoped(async () => {
      const g = new Generator(2);
      const x = rand([2, 5, 5, 8], 7);
      const mods = [new SqueezeExcitation(8, 2, { generator: g }), new CBAM(8, { reduction: 4, kernelSize: 3, generator: g }), new SKConv(8, { reduction: 4, minDim: 4, generator: g })];
      for (const m of mods) {
        const y = m.forward(x);
        expect(y.shape).toEqual([2, 5, 5, 8]);
        await expectFinite(y);
      }
      const sa = new SelfAttention2d(8, { generator: g });
      await expectNear(sa.forward(x).output, x, 0);
      const local = new LocalAttention2d(8, 4, { kernelSize: 3, stride: 2, heads: 2, generator: g });
      const dx = tf.grad((a: tf.Tensor) => tf.sum(local.forward(a)))(x);
      expect(local.forward(x).shape).toEqual([2, 3, 3, 4]);
      await expectFinite(dx);
      for (const m of [...mods, sa, local]) m.dispose();
    }));

  it('the recurrent attention model: glimpses, hybrid loss, gradients', () =>
    scoped(async () => {
      const ram = new RecurrentAttentionModel({ size: 4, depth: 2, scale: 2, glimpseHidden: 8, locationHidden: 8, outputSize: 8, hiddenSize: 8, numGlimpses: 3, numClasses: 3, generator: new Generator(3) });
      const img = tf.reshape(tf.range(0, 36), [1, 6, 6, 1]);
      expect(Array.from(await glimpseSensor(img, tf.zeros([1, 2]), { size: 2, depth: 1 }).data())).toEqual([14, 15, 20, 21]);
      const x = rand([2, 12, 12, 1], 9);
      const { value, grads } = tf.variableGrads(() => ramLoss(ram.forward(x), tf.tensor1d([0, 2], 'int32')).loss);
      await expectFinite(value, ...Object.values(grads));
      ram.dispose();
    }));

  it('the tfjs-layers layer predicts in a sequential model', () =>
    scoped(async () => {
      const model = tfl.sequential({ layers: [new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 2, inputShape: [3, 4], useCausalMask: true })] });
      const y = model.predict(rand([2, 3, 4], 8)) as tf.Tensor;
      expect(y.shape).toEqual([2, 3, 4]);
      await expectFinite(y);
      model.dispose();
    }));
});
