import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { expectClose, values } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { codebookUsage } from './codebook-usage.js';
import { VectorQuantizer, vectorQuantize } from './vector-quantize.js';
import { VQVAE } from './vq-vae.js';

describe('vectorQuantize', () => {
  it('picks the nearest codeword (ties to the lowest index) for any leading shape', () => {
    tf.tidy(() => {
      const codebook = tf.tensor2d([[0, 0], [2, 0], [0, 2], [2, 0]]); // codewords 1 and 3 tie
      const z = tf.tensor3d([[[0.1, 0.2], [1.9, -0.3]], [[0.4, 1.7], [3, 0]]]); // [2, 2, 2]
      const { zq, indices, codebookLoss, commitmentLoss } = vectorQuantize(z, codebook, { beta: 0.5 });
      expect(indices.shape).toEqual([2, 2]);
      expect(values(indices)).toEqual([0, 1, 2, 1]);
      expectClose(zq, tf.tensor3d([[[0, 0], [2, 0]], [[0, 2], [2, 0]]]));
      const sq = [0.01 + 0.04, 0.01 + 0.09, 0.16 + 0.09, 1].reduce((a, b) => a + b) / 8;
      expectClose(codebookLoss, sq);
      expectClose(commitmentLoss, 0.5 * sq);
    });
  });

  it('passes gradients straight through to z and trains the chosen codewords only', () => {
    tf.tidy(() => {
      const codebook = tf.tensor2d([[0, 0], [4, 4], [9, 9]]);
      const z = tf.tensor2d([[1, 0], [3, 5]]);
      const seed = tf.tensor2d([[1, 2], [3, 4]]);
      const f = (zz: tf.Tensor, e: tf.Tensor) => {
        const r = vectorQuantize(zz, e, { beta: 0.25 });
        return tf.addN([tf.sum(tf.mul(r.zq, seed)), r.codebookLoss, r.commitmentLoss]);
      };
      const [gz, ge] = tf.grads(f)([z, codebook]);
      // grad z = seed + β·2(z − e)/(N·D); grad e_k = Σ 2(e_k − z_n)/(N·D) over the n that chose k
      expectClose(gz!, [[1 + 0.25 * 0.5 * 1, 2], [3 + 0.25 * 0.5 * -1, 4 + 0.25 * 0.5 * 1]]);
      expectClose(ge!, [[-0.5, 0], [0.5, -0.5], [0, 0]]);
    });
  });

  it('handles empty inputs and validates', () => {
    tf.tidy(() => {
      const r = vectorQuantize(tf.zeros([0, 3]), tf.ones([4, 3]));
      expect(r.zq.shape).toEqual([0, 3]);
      expect(r.indices.shape).toEqual([0]);
      expect(Number.isNaN(values(r.codebookLoss)[0]!)).toBe(true); // the mean of nothing, as PyTorch
      expect(() => vectorQuantize(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(/vectorQuantize: codebook must be \[K, 3\] with K >= 1 \(D = 3, the last dim of z\), got shape \[4, 2\]/);
    });
  });
});

describe('codebookUsage', () => {
  it('counts codes and reports perplexity', async () => {
    const idx = tf.tensor2d([[0, 0], [1, 3]], undefined, 'int32');
    const u = await codebookUsage(idx, 5);
    expect(Array.from(u.counts)).toEqual([2, 1, 0, 1, 0]);
    expect(u.used).toBe(3);
    expect(u.fraction).toBeCloseTo(0.6);
    expect(u.perplexity).toBeCloseTo(Math.exp(-(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25))), 10);
    await expect(codebookUsage(idx, 3)).rejects.toThrow(/codebookUsage: indices must be codes in \[0, 3\), got 3 at index 3/);
    idx.dispose();
  });
});

describe('VectorQuantizer and VQVAE', () => {
  it('the quantizer keeps its codebook under embedding.weight and looks codes up', () => {
    const vq = new VectorQuantizer(6, 3, { generator: new Generator(0) });
    expect(vq.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['embedding.weight', [6, 3]]]);
    tf.tidy(() => {
      const w = vq.weight;
      const codes = tf.tensor2d([[5, 0]], undefined, 'int32');
      expectClose(vq.lookup(codes), tf.expandDims(tf.gather(w, [5, 0]), 0));
      const r = vq.forward(tf.expandDims(tf.gather(w, [2, 4]), 0));
      expect(values(r.indices)).toEqual([2, 4]);
    });
    vq.dispose();
  });

  it('the VQ-VAE has the documented shapes and overfits a batch with every gradient flowing', async () => {
    const m = new VQVAE({ imageShape: [8, 8, 1], hiddenChannels: 16, embeddingDim: 4, numEmbeddings: 8, generator: new Generator(1) });
    const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 3), 0.5), 'float32'));
    tf.tidy(() => {
      const out = m.forward(x);
      expect(out.reconLogits.shape).toEqual([6, 8, 8, 1]);
      expect(out.indices.shape).toEqual([6, 2, 2]);
      expect(m.encode(x).shape).toEqual([6, 2, 2]);
      expect(m.decodeCodes(tf.zeros([3, 2, 2], 'int32')).shape).toEqual([3, 8, 8, 1]);
    });
    const vars = m.trainableParameters();
    const { grads, value } = tf.variableGrads(() => m.loss(x).loss as tf.Scalar, vars);
    expect(Object.keys(grads).length).toBe(vars.length); // encoder (straight-through), codebook, decoder
    for (const [name, g] of Object.entries(grads)) expect(tf.tidy(() => values(tf.sum(tf.abs(g)))[0]!), name).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    const recon = () => tf.tidy(() => values(m.loss(x).recon)[0]!);
    const first = recon();
    const opt = tf.train.adam(1e-2);
    for (let i = 0; i < 150; i++) opt.minimize(() => m.loss(x).loss as tf.Scalar, false, vars);
    const last = recon();
    expect(last).toBeLessThan(0.6 * first);
    const idx = m.encode(x);
    const usage = await codebookUsage(idx, 8);
    expect(usage.used).toBeGreaterThan(1);
    tf.dispose([x, idx]);
    opt.dispose();
    m.dispose();
  });
});
