/**
 * VQ-VAE on the digits, with a PixelCNN prior over its codes: the encoder maps
 * each 28×28 digit to a 7×7 grid of vectors, each replaced by the nearest of
 * K codewords (straight-through gradient, codebook and commitment losses);
 * reports the test reconstruction error and how the codebook is used (codes
 * in use, perplexity). Then a PixelCNN learns the distribution of the 7×7
 * code grids of the training digits; new digits are drawn by sampling code
 * grids from it and decoding them. Writes PNG grids.
 *
 *   pnpm --filter @fovea/example-generative vqvae      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
import { PixelCNN, VQVAE, bitsPerDim, codebookUsage, sampleAutoregressive } from '@fovea/generative';
import { Adam, StepProgress } from '@fovea/optim';
import { batches, digits, take } from './data.js';
import { grid, savePng } from './png.js';
import { elapsed } from './timing.js';

const SEED = 0;
const EPOCHS = Number(process.env.EPOCHS ?? 4);
const PRIOR_EPOCHS = Number(process.env.PRIOR_EPOCHS ?? 10);
const K = 32; // codewords
const D = 8; // codeword size
const BATCH = 64;
const OUT = new URL('../out/vqvae/', import.meta.url).pathname;

/** Runs `fn` over `x` in batches of 250 rows and concatenates the results. */
function mapBatches(x: tf.Tensor, fn: (b: tf.Tensor) => tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < x.shape[0]!; i += 250) parts.push(tf.tidy(() => fn(tf.slice(x, [i], [Math.min(250, x.shape[0]! - i)]))));
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`VQ-VAE on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await digits(false);
  tf.dispose([val.images, val.labels, train.labels]);

  const vq = new VQVAE({ imageShape: [28, 28, 1], hiddenChannels: 32, embeddingDim: D, numEmbeddings: K, generator: gen });
  console.log(`VQ-VAE: 28×28 → 7×7 codes from ${K} codewords of size ${D}, ${vq.numParameters().toLocaleString('en')} parameters`);
  const n = train.images.shape[0]!;
  const opt = new Adam(vq.parameters(), { lr: 2e-3 });
  const bar = new StepProgress('VQ-VAE', EPOCHS * Math.ceil(n / BATCH));
  for (let e = 0; e < EPOCHS; e++) {
    let total = 0;
    for (const idx of batches(n, BATCH, gen)) {
      const x = take(train.images, idx);
      const loss = opt.minimize(() => vq.loss(x).loss as tf.Scalar, true)!; // BCE + codebook + commitment
      const v = (await loss.data())[0]!;
      total += v * idx.length;
      tf.dispose([x, loss]);
      bar.tick(1, `epoch ${e + 1}/${EPOCHS} loss ${v.toFixed(4)}`);
    }
    if (!process.stdout.isTTY) console.log(`  epoch ${e + 1}: train loss ${(total / n).toFixed(4)} (BCE per pixel + codebook + commitment)`);
  }
  bar.finish(`${EPOCHS} epochs`);
  opt.dispose();
  vq.eval();

  const codesTest = mapBatches(test.images, (b) => vq.encode(b)); // [1000, 7, 7]
  const recTest = mapBatches(codesTest, (c) => vq.decodeCodes(c)); // [1000, 28, 28, 1]
  const [mse, bce] = await Promise.all([
    tf.tidy(() => tf.mean(tf.square(tf.sub(recTest, test.images)))).data(),
    tf.tidy(() => tf.mean(tf.neg(tf.add(tf.mul(test.images, tf.log(tf.add(recTest, 1e-6))), tf.mul(tf.sub(1, test.images), tf.log(tf.sub(1 + 1e-6, recTest))))))).data(),
  ]);
  console.log(`test reconstruction: MSE ${mse[0]!.toFixed(5)} per pixel (grey values in [0, 1]), BCE ${bce[0]!.toFixed(4)} per pixel`);
  const usage = await codebookUsage(codesTest, K);
  console.log(`codebook usage on the test digits: ${usage.used} of ${K} codes used (${(100 * usage.fraction).toFixed(0)} %), perplexity ${usage.perplexity.toFixed(2)}`);

  // the prior: a PixelCNN over 7×7 code grids, one-hot input
  const codesTrain = mapBatches(train.images, (b) => vq.encode(b)); // [8000, 7, 7]
  const toImg = (c: tf.Tensor) => tf.tidy(() => tf.expandDims(tf.cast(c, 'float32'), 3)); // [N, 7, 7, 1]
  const [ctr, cte] = [toImg(codesTrain), toImg(codesTest)];
  const prior = new PixelCNN({ levels: K, inputEncoding: 'onehot', hiddenChannels: 64, numLayers: 4, kernelSize: 5, generator: gen });
  const popt = new Adam(prior.parameters(), { lr: 2e-3 });
  const pbar = new StepProgress('PixelCNN prior over codes', PRIOR_EPOCHS * Math.ceil(n / BATCH));
  for (let e = 0; e < PRIOR_EPOCHS; e++) {
    for (const idx of batches(n, BATCH, gen)) {
      const c = take(ctr, idx);
      const ci = tf.cast(c, 'int32');
      popt.minimize(() => bitsPerDim(prior.forward(c), ci).nll as tf.Scalar);
      tf.dispose([c, ci]);
      pbar.tick(1, `epoch ${e + 1}/${PRIOR_EPOCHS}`);
    }
  }
  prior.eval();
  const nll = tf.tidy(() => bitsPerDim(prior.forward(cte), tf.cast(cte, 'int32')).nll);
  const nats = (await nll.data())[0]!;
  pbar.finish(`test code NLL ${nats.toFixed(2)} nats per 7×7 grid (${(nats / 49 / Math.LN2).toFixed(3)} bits per code; uniform would be ${Math.log2(K).toFixed(1)})`);
  popt.dispose();

  const sbar = new StepProgress('sampling 64 code grids', 49);
  const sampled = await sampleAutoregressive(prior, [64, 7, 7, 1], { generator: gen, onStep: () => sbar.tick() });
  sbar.finish('done');
  const decoded = tf.tidy(() => vq.decodeCodes(tf.cast(tf.squeeze(sampled, [3]), 'int32')));
  await savePng(`${OUT}samples.png`, grid(await decoded.data(), 64, 28, 28, { cols: 8, scale: 2 }));
  const pairs = tf.tidy(() => tf.concat([tf.slice(test.images, [0], [16]), tf.slice(recTest, [0], [16])], 0));
  await savePng(`${OUT}reconstructions.png`, grid(await pairs.data(), 32, 28, 28, { cols: 16, scale: 2 }));
  console.log(`wrote ${OUT}samples.png (codes from the prior, decoded) and ${OUT}reconstructions.png (top: test digits, bottom: through 7×7 codes)`);
  console.log(elapsed(t0));
  tf.dispose([codesTest, recTest, codesTrain, ctr, cte, nll, sampled, decoded, pairs, train.images, test.images, test.labels]);
  vq.dispose();
  prior.dispose();
}

await main();
