/**
 * Trains the pretrained weights the gallery's generative pages start from, in
 * Node on wasm, with the pages' own models and settings (the examples'):
 *
 * - `public/weights/vae.safetensors`: the `vae-sliders` page's VAE
 *   (784-400-4-400-784, Bernoulli decoder) on the 8,000 binarized training
 *   digits, Adam lr 1e-3, batch 100; stored as F16 (the 634k parameters
 *   would be 2.5 MB as F32) and checked after the round trip on the 1,000
 *   test digits.
 * - `public/weights/cgan.safetensors`: the `cgan` page's conditional DCGAN
 *   (generator `G.*` and projection discriminator `D.*`, F32), `ganTrainStep`
 *   with the non-saturating loss, label smoothing 0.9, Adam lr 5e-4,
 *   β₁ 0.5, batch 64; graded by the gallery's small digits CNN trained here
 *   for 2 epochs (the share of generated digits it reads as the class asked
 *   for).
 *
 *   cd examples/gallery && nice -n 10 node --import tsx scripts/train-weights.ts
 *
 * `VAE_EPOCHS` / `CGAN_EPOCHS` override the epochs; `ONLY=vae|cgan` trains one.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, crossEntropy, decodeSafetensors, encodeSafetensors, initBackend, loadDigits, randperm, type Digits, type DigitsSplit, type Sequential } from '@fovea/core';
import { DCGANDiscriminator, DCGANGenerator, VAE, ganTrainStep } from '@fovea/generative';
import { Adam } from '@fovea/optim';
import { accuracyOf, smallDigitsCnn } from '../src/models.js';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../public/weights');
const VAE_EPOCHS = Number(process.env.VAE_EPOCHS ?? 40); // ~2 min; the 4-dim latent's −ELBO still creeps down
const CGAN_EPOCHS = Number(process.env.CGAN_EPOCHS ?? 16); // 2,000 steps of 64 (the example: 1,500), ~5 min
const ONLY = process.env.ONLY;
/** Must match src/pages/vae-sliders.ts and src/pages/cgan.ts. */
const VAE_CFG = { latentDim: 4, hidden: [400], batch: 100, lr: 1e-3 };
const CGAN_CFG = { latentDim: 64, baseChannels: 16, batch: 64, lr: 5e-4, realLabel: 0.9 };

function save(name: string, bytes: Uint8Array): void {
  mkdirSync(OUT, { recursive: true });
  const path = resolve(OUT, name);
  writeFileSync(path, bytes);
  console.log(`  wrote ${path} (${(statSync(path).size / 1e6).toFixed(2)} MB)`);
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

/** Mean negative ELBO (nats/image, one draw of z) of `vae` on `x`. */
async function testNelbo(vae: VAE, x: tf.Tensor): Promise<number> {
  vae.eval();
  const v = tf.tidy(() => tf.mean(vae.negativeElbo(x)));
  const out = (await v.data())[0]!;
  v.dispose();
  return out;
}

async function trainVae(d: Digits<DigitsSplit>): Promise<void> {
  const t0 = Date.now();
  const bin = (x: tf.Tensor) => tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32'));
  const [trainX, testX] = [bin(d.train.images), bin(d.test.images)];
  const gen = new Generator(0);
  const vae = new VAE({ inputShape: [28, 28, 1], hidden: VAE_CFG.hidden, latentDim: VAE_CFG.latentDim, generator: gen });
  const opt = new Adam(vae.parameters(), { lr: VAE_CFG.lr });
  const n = trainX.shape[0]!;
  for (let e = 0; e < VAE_EPOCHS; e++) {
    vae.train();
    const perm = randperm(n, { generator: gen });
    let sum = 0;
    for (let i = 0; i + VAE_CFG.batch <= n; i += VAE_CFG.batch) {
      const idx = tf.tensor1d(perm.subarray(i, i + VAE_CFG.batch), 'int32');
      const x = tf.gather(trainX, idx);
      const loss = opt.minimize(() => vae.loss(x).loss as tf.Scalar, true)!;
      sum += (await loss.data())[0]!;
      tf.dispose([idx, x, loss]);
    }
    if (e % 5 === 4 || e === VAE_EPOCHS - 1) console.log(`  VAE epoch ${e + 1}/${VAE_EPOCHS}: train −ELBO ${(sum / (n / VAE_CFG.batch)).toFixed(1)} nats/image (${seconds(t0)})`);
  }
  const before = await testNelbo(vae, testX);
  const trained = `${VAE_EPOCHS} epochs on the 8,000 training digits, test −ELBO ${before.toFixed(1)} nats/image`;
  const sd = vae.stateDict();
  const bytes = await encodeSafetensors(sd, { trained }, { floatDtype: 'F16' });
  tf.dispose(Object.values(sd));
  save('vae.safetensors', bytes);
  // the round trip: a fresh VAE from the F16 file scores (about) the same
  const check = new VAE({ inputShape: [28, 28, 1], hidden: VAE_CFG.hidden, latentDim: VAE_CFG.latentDim, generator: new Generator(0) });
  const { tensors } = decodeSafetensors(bytes);
  check.loadStateDict(tensors);
  tf.dispose(Object.values(tensors));
  const after = await testNelbo(check, testX);
  console.log(`VAE: ${trained}; from the F16 file ${after.toFixed(1)} (${seconds(t0)})`);
  [vae, check].forEach((m) => m.dispose());
  opt.dispose();
  tf.dispose([trainX, testX]);
}

async function trainCgan(d: Digits<DigitsSplit>): Promise<void> {
  const t0 = Date.now();
  const gen = new Generator(0);
  // the grader: the gallery's small digits CNN, 2 epochs of Adam
  const cnn: Sequential = smallDigitsCnn(gen);
  const optC = new Adam(cnn.parameters(), { lr: 2e-3 });
  const n = d.train.labels.shape[0]!;
  for (let e = 0; e < 2; e++) {
    const perm = randperm(n, { generator: gen });
    for (let i = 0; i + 64 <= n; i += 64) {
      const idx = tf.tensor1d(perm.subarray(i, i + 64), 'int32');
      const [x, y] = [tf.gather(d.train.images, idx), tf.gather(d.train.labels, idx)];
      optC.minimize(() => crossEntropy(cnn.forward(x), y) as tf.Scalar, false, undefined);
      tf.dispose([idx, x, y]);
    }
  }
  cnn.eval();
  const cnnLogits = tf.tidy(() => cnn.forward(d.test.images));
  console.log(`  grader CNN: test accuracy ${(100 * (await accuracyOf(cnnLogits, d.test.labels))).toFixed(1)} % (${seconds(t0)})`);
  cnnLogits.dispose();

  const G = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: CGAN_CFG.latentDim, baseChannels: CGAN_CFG.baseChannels, numClasses: 10, generator: gen });
  const D = new DCGANDiscriminator({ imageShape: [28, 28, 1], baseChannels: CGAN_CFG.baseChannels, numClasses: 10, conditioning: 'projection', generator: gen });
  const optG = new Adam(G.parameters(), { lr: CGAN_CFG.lr, betas: [0.5, 0.999] });
  const optD = new Adam(D.parameters(), { lr: CGAN_CFG.lr, betas: [0.5, 0.999] });
  const real = tf.tidy(() => tf.sub(tf.mul(d.train.images, 2), 1));
  const labels = tf.tensor1d(Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100)), 'int32');
  /** Share of 1,000 generated digits (100 per class) the CNN reads as the class asked for. */
  const grade = async (): Promise<number> => {
    G.eval();
    const logits = tf.tidy(() => cnn.forward(tf.div(tf.add(G.forward(G.sampleLatent(1000, gen), labels), 1), 2)));
    const acc = await accuracyOf(logits, labels);
    logits.dispose();
    G.train();
    return acc;
  };
  let acc = 0;
  for (let e = 0; e < CGAN_EPOCHS; e++) {
    const perm = randperm(n, { generator: gen });
    let [dl, gl, k] = [0, 0, 0];
    for (let i = 0; i + CGAN_CFG.batch <= n; i += CGAN_CFG.batch) {
      const idx = tf.tensor1d(perm.subarray(i, i + CGAN_CFG.batch), 'int32');
      const [x, y] = [tf.gather(real, idx), tf.gather(d.train.labels, idx)];
      const r = ganTrainStep(G, D, optG, optD, x, { labels: y, generator: gen, generatorLoss: 'non_saturating', realLabel: CGAN_CFG.realLabel });
      dl += (await r.dLoss.data())[0]!;
      gl += (await r.gLoss.data())[0]!;
      k++;
      tf.dispose([idx, x, y, r.dLoss, r.gLoss]);
    }
    acc = await grade();
    console.log(`  cGAN epoch ${e + 1}/${CGAN_EPOCHS}: D loss ${(dl / k).toFixed(3)}, G loss ${(gl / k).toFixed(3)}, class accuracy ${(100 * acc).toFixed(1)} % (${seconds(t0)})`);
  }
  const trained = `${CGAN_EPOCHS} epochs (${CGAN_EPOCHS * Math.floor(n / CGAN_CFG.batch)} steps) on the 8,000 training digits; a digits CNN reads ${(100 * acc).toFixed(1)} % of 1,000 samples as the class asked for`;
  const dict: Record<string, tf.Tensor> = {};
  for (const [k, t] of Object.entries(G.stateDict())) dict[`G.${k}`] = t;
  for (const [k, t] of Object.entries(D.stateDict())) dict[`D.${k}`] = t;
  save('cgan.safetensors', await encodeSafetensors(dict, { trained }));
  tf.dispose(Object.values(dict));
  console.log(`cGAN: ${trained} (${seconds(t0)})`);
  [G, D, cnn].forEach((m) => m.dispose());
  [optG, optD, optC].forEach((o) => o.dispose());
  tf.dispose([real, labels]);
}

async function main(): Promise<void> {
  const info = await initBackend({ backend: 'wasm' });
  console.log(`training the gallery's pretrained weights — ${info.summary}`);
  const d = await loadDigits();
  if (ONLY !== 'cgan') await trainVae(d);
  if (ONLY !== 'vae') await trainCgan(d);
  tf.dispose([d.train.images, d.train.labels, d.val.images, d.val.labels, d.test.images, d.test.labels]);
}

await main();
