import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { codebookUsage } from './codebook-usage.js';
import { vectorQuantize } from './vector-quantize.js';
import { VQVAE } from './vq-vae.js';

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe(`vector quantization on ${tf.getBackend()}`, () => {
  it('nearest codes, straight-through gradients, usage', async () => {
    const z = tf.tensor2d([[1, 0], [3, 5]]);
    const e = tf.tensor2d([[0, 0], [4, 4], [9, 9]]);
    const r = vectorQuantize(z, e);
    expect(await read(r.indices)).toEqual([0, 1]);
    expect(await read(r.zq)).toEqual([0, 0, 4, 4]);
    const [gz, ge] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.add(tf.sum(vectorQuantize(a, b).zq), vectorQuantize(a, b).codebookLoss))([z, e]);
    expect(await read(gz!)).toEqual([1, 1, 1, 1]);
    const gev = await read(ge!);
    expect(gev.slice(4)).toEqual([0, 0]);
    expect(gev[0]!).toBeCloseTo(-0.5, 5);
    expect((await codebookUsage(r.indices, 3)).used).toBe(2);
    tf.dispose([z, e, r.zq, r.indices, r.codebookLoss, r.commitmentLoss, gz!, ge!]);
  });

  it('a VQ-VAE training step', async () => {
    const m = new VQVAE({ imageShape: [4, 4, 1], hiddenChannels: 4, embeddingDim: 2, numEmbeddings: 4, generator: new Generator(0) });
    const x = tf.ones([2, 4, 4, 1]);
    const opt = tf.train.adam(1e-2);
    const l = opt.minimize(() => m.loss(x).loss as tf.Scalar, true, m.trainableParameters())!;
    expect(Number.isFinite((await read(l))[0]!)).toBe(true);
    const codes = m.encode(x);
    expect(codes.shape).toEqual([2, 1, 1]);
    const img = m.decodeCodes(codes);
    expect(img.shape).toEqual([2, 4, 4, 1]);
    tf.dispose([x, l, codes, img]);
    opt.dispose();
    m.dispose();
  });
});
