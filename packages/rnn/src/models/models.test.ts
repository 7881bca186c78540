import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { BahdanauAttention, CaptionDecoder, CharLM, Seq2Seq, sampleLogits } from '../index.js';

describe('sampleLogits', () => {
  it('is greedy at temperature 0, follows softmax frequencies at 1, honours topK and the seed', async () => {
    const logits = tf.tensor2d([[0, Math.log(3), -50], [2, 2, 2]]);
    expect(Array.from(await sampleLogits(logits, { temperature: 0 }))).toEqual([1, 0]);
    const g = new Generator(0);
    let ones = 0;
    const row = tf.slice(logits, [0, 0], [1, 3]);
    for (let i = 0; i < 2000; i++) if ((await sampleLogits(row, { generator: g }))[0] === 1) ones++;
    row.dispose();
    expect(ones / 2000).toBeGreaterThan(0.72); // p = 0.75
    expect(ones / 2000).toBeLessThan(0.78);
    const a = await sampleLogits(logits, { generator: new Generator(5) }), b = await sampleLogits(logits, { generator: new Generator(5) });
    expect(a).toEqual(b);
    const three = tf.tensor1d([1, 3, 2]);
    const top1 = await sampleLogits(three, { topK: 1, generator: new Generator(1) });
    three.dispose();
    expect(Array.from(top1)).toEqual([1]);
    await expect(sampleLogits(logits, { temperature: -1 })).rejects.toThrow('sampleLogits: options.temperature must be');
    logits.dispose();
  });
});

describe('CharLM', () => {
  it('starts near ln V, overfits a short string, and samples what it learned greedily', async () => {
    const text = 'abcabcabcabcabcabc';
    const V = 3;
    const ids = Array.from(text, (ch) => ch.charCodeAt(0) - 97);
    const lm = new CharLM(V, { embeddingDim: 8, hiddenSize: 16, numLayers: 1, generator: new Generator(0) });
    const x = tf.tensor2d([ids.slice(0, -1)], [1, ids.length - 1], 'int32');
    const y = tf.tensor2d([ids.slice(1)], [1, ids.length - 1], 'int32');
    const first = tf.tidy(() => lm.loss(x, y).loss.dataSync()[0]!);
    expect(Math.abs(first - Math.log(V))).toBeLessThan(0.3);
    const opt = tf.train.adam(0.05);
    for (let i = 0; i < 60; i++) {
      const cost = opt.minimize(() => {
        const r = lm.loss(x, y);
        tf.dispose(r.state);
        return r.loss;
      }, true, lm.trainableParameters());
      cost?.dispose();
    }
    const last = tf.tidy(() => lm.loss(x, y).loss.dataSync()[0]!);
    expect(last).toBeLessThan(0.1);
    expect(await lm.sample([0, 1], 6, { temperature: 0 })).toEqual([2, 0, 1, 2, 0, 1]);
    expect(lm.training).toBe(true);
    opt.dispose();
    tf.dispose([x, y]);
    lm.dispose();
  });
});

describe('decoders with attention', () => {
  it('BahdanauAttention: weights sum to 1 and ignore masked positions', () => {
    const att = new BahdanauAttention(4, 3, 5, { generator: new Generator(0) });
    tf.tidy(() => {
      const enc = tf.randomNormal([2, 6, 3]);
      const mask = tf.tensor2d([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]);
      const { context, weights } = att.forward(tf.randomNormal([2, 4]), att.projectKeys(enc), enc, mask);
      const w = weights.arraySync() as number[][];
      expect(w[0]![4]).toBe(0);
      expect(w[0]![5]).toBe(0);
      w.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
      expect(context.shape).toEqual([2, 3]);
    });
    att.dispose();
  });

  it('CaptionDecoder: shapes with and without attention; gradients reach every parameter', () => {
    for (const attention of [true, false]) {
      const dec = new CaptionDecoder({ featureDim: 6, vocabSize: 9, embeddingDim: 4, hiddenSize: 8, attentionDim: 5, attention, generator: new Generator(1) });
      tf.tidy(() => {
        const feats = tf.randomNormal([2, 3, 3, 6]);
        const inp = tf.tensor2d([[1, 4, 5, 6], [1, 2, 3, 7]], [2, 4], 'int32');
        const out = dec.forward(feats, inp);
        expect(out.tokens.shape).toEqual([2, 4, 9]);
        expect(out.attention?.shape ?? null).toEqual(attention ? [2, 4, 9] : null);
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(dec.forward(feats, inp).tokens)) as tf.Scalar, dec.trainableParameters());
        for (const p of dec.trainableParameters()) expect(tf.sum(tf.abs(grads[p.name]!)).dataSync()[0], p.name).toBeGreaterThan(0);
        const g = dec.greedy(feats, { bos: 1, maxLength: 5 });
        expect(g.tokens.shape).toEqual([2, 5]);
        expect(g.tokens.dtype).toBe('int32');
        // greedy agrees with teacher forcing on its own output
        const tf2 = dec.forward(feats, tf.concat([tf.fill([2, 1], 1, 'int32'), tf.slice(g.tokens, [0, 0], [2, 4])], 1));
        expect(tf.cast(tf.argMax(tf2.tokens, 2), 'int32').arraySync()).toEqual(g.tokens.arraySync());
      });
      dec.dispose();
    }
  });

  it('Seq2Seq: teacher forcing and greedy agree, padding gets no attention', () => {
    const m = new Seq2Seq({ srcVocab: 11, tgtVocab: 7, embeddingDim: 4, hiddenSize: 6, attentionDim: 5, generator: new Generator(2) });
    tf.tidy(() => {
      const src = tf.tensor2d([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]], [2, 5], 'int32');
      const g = m.greedy(src, { bos: 1, maxLength: 4 });
      expect(g.tokens.shape).toEqual([2, 4]);
      const att = g.attention.arraySync() as number[][][];
      att[0]!.forEach((row) => { expect(row[3]).toBe(0); expect(row[4]).toBe(0); });
      const f = m.forward(src, tf.concat([tf.fill([2, 1], 1, 'int32'), tf.slice(g.tokens, [0, 0], [2, 3])], 1));
      expect(f.tokens.shape).toEqual([2, 4, 7]);
      expect(tf.cast(tf.argMax(f.tokens, 2), 'int32').arraySync()).toEqual(g.tokens.arraySync());
      expect(() => m.forward(src, tf.zeros([3, 2], 'int32'))).toThrow('Seq2Seq.forward: tgtIn must be shape [2, *]');
    });
    m.dispose();
  });
});
