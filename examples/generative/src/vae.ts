/**
 * VAE on the binarized digits: trains a fully connected VAE (784-400-20,
 * Bernoulli decoder) and a conditional VAE (8 latent dims) with Adam, reports the test
 * negative ELBO (nats per image), separates real digits from noise, shifted
 * and inverted digits by their negative ELBO (AUROC), and writes PNG grids:
 * prior samples, reconstructions, latent interpolations, latent traversals
 * (editing one dimension), and conditional "style transfer" (encode with the
 * true class, decode as every class).
 *
 *   pnpm --filter @fovea/example-generative vae      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
import { ConditionalVAE, VAE, editLatents, interpolateLatents, latentTraversal, natsToBitsPerDim, outlierAuroc } from '@fovea/generative';
import { Adam, StepProgress } from '@fovea/optim';
import { batches, digits, mean, outliers, perItem, take } from './data.js';
import { grid, savePng } from './png.js';
import { elapsed } from './timing.js';

const SEED = 0; // init, shuffling, ε and samples all come from it
const EPOCHS = Number(process.env.EPOCHS ?? 20); // the test ELBO is still improving slowly at 20 epochs of 8,000 digits
const CVAE_EPOCHS = Number(process.env.CVAE_EPOCHS ?? 20);
const CVAE_LATENT = 8; // a small code leaves the class to the label (with 20 dims the decoder learns to ignore it for longer)
const BATCH = 100;
const LR = 1e-3;
const OUT = new URL('../out/vae/', import.meta.url).pathname;

async function train(name: string, model: VAE, images: tf.Tensor, labels: tf.Tensor | undefined, epochs: number, gen: Generator): Promise<void> {
  const opt = new Adam(model.parameters(), { lr: LR });
  const n = images.shape[0]!;
  const bar = new StepProgress(name, epochs * Math.ceil(n / BATCH));
  let last = 0;
  for (let e = 0; e < epochs; e++) {
    let sum = 0;
    const parts = batches(n, BATCH, gen);
    for (const idx of parts) {
      const x = take(images, idx);
      const y = labels ? take(labels, idx) : undefined;
      const loss = opt.minimize(() => model.loss(x, y).loss as tf.Scalar, true)!;
      sum += (await loss.data())[0]! * idx.length;
      tf.dispose([x, y ?? [], loss]);
      bar.tick(1, `epoch ${e + 1}/${epochs}`);
    }
    last = sum / n;
  }
  bar.finish(`train negative ELBO ${last.toFixed(1)} nats/image after ${epochs} epochs`);
  opt.dispose();
}

/** Mean per-image negative ELBO (nats) over `samples` draws of z, in batches. */
async function nelbo(model: VAE, images: tf.Tensor, labels?: tf.Tensor, samples = 10): Promise<Float32Array> {
  return perItem(images.shape[0]!, 250, (idx) => model.negativeElbo(take(images, idx), labels ? take(labels, idx) : undefined, { samples }));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`VAE on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train: tr, val, test } = await digits(true);
  tf.dispose([val.images, val.labels]);

  const vae = new VAE({ inputShape: [28, 28, 1], hidden: [400], latentDim: 20, generator: gen });
  console.log(`VAE 784-400-20-400-784, ${vae.numParameters().toLocaleString('en')} parameters, Bernoulli decoder, binarized digits`);
  await train('VAE', vae, tr.images, undefined, EPOCHS, gen);
  vae.eval();
  const testNelbo = await nelbo(vae, test.images);
  const m = mean(testNelbo);
  console.log(`test negative ELBO: ${m.toFixed(2)} nats/image (${natsToBitsPerDim(m, 784).toFixed(4)} bits/dim upper bound), 10 samples of z per image, 1,000 test digits`);

  // outlier detection by negative ELBO
  const odd = outliers(test.images, gen);
  const aurocs: string[] = [];
  for (const [name, x] of Object.entries(odd)) {
    const s = await nelbo(vae, x, undefined, 1);
    aurocs.push(`${name} ${(await outlierAuroc(testNelbo, s)).toFixed(4)} (mean ${mean(s).toFixed(0)} nats)`);
  }
  console.log(`outlier AUROC by negative ELBO vs the test digits: ${aurocs.join(', ')}`);

  // grids
  const eight = take(test.images, Array.from({ length: 8 }, (_, i) => i * 7));
  const samples = vae.sample(64, { generator: gen });
  await savePng(`${OUT}samples.png`, grid(await samples.data(), 64, 28, 28, { cols: 8 }));
  const recon = tf.tidy(() => tf.concat([eight, vae.reconstruct(eight)], 0));
  await savePng(`${OUT}reconstructions.png`, grid(await recon.data(), 16, 28, 28, { cols: 8 }));
  const dec = (z: tf.Tensor) => vae.mean(vae.decode(z)); // latents → pixel probabilities
  const mu = tf.tidy(() => vae.encode(test.images).mu); // [1000, 20]
  // the latent dimensions the model uses most (largest variance of the posterior means over the test digits)
  const spread = Array.from(await tf.tidy(() => tf.moments(mu, 0).variance).data());
  const ranked = spread.map((v, d) => [v, d] as const).sort((a, b) => b[0] - a[0]).map(([, d]) => d);
  console.log(`most used latent dims (variance of μ over the test digits): ${ranked.slice(0, 8).map((d) => `z${d} ${spread[d]!.toFixed(2)}`).join(', ')}`);
  const path = tf.tidy(() => dec(tf.reshape(interpolateLatents(tf.slice(mu, [0, 0], [6, -1]), tf.slice(mu, [6, 0], [6, -1]), 10, { method: 'slerp' }), [60, 20]))); // 6 paths of 10
  await savePng(`${OUT}interpolation.png`, grid(await path.data(), 60, 28, 28, { cols: 10 }));
  const values = [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3];
  const trav = tf.tidy(() => {
    const z0 = tf.slice(mu, [0, 0], [1, -1]);
    const rows = ranked.slice(0, 8).map((d) => latentTraversal(tf.reshape(z0, [-1]), d, values));
    return dec(tf.concat(rows, 0));
  });
  await savePng(`${OUT}traversal.png`, grid(await trav.data(), 72, 28, 28, { cols: 9, rowLabels: ranked.slice(0, 8).map((d) => `z${d}`) }));
  // editing: encode test digits, shift the two most used dims by ±2, decode
  const [d0, d1] = [ranked[0]!, ranked[1]!];
  const edited = tf.tidy(() => {
    const z = tf.slice(mu, [0, 0], [8, -1]);
    const edits = [[], [{ dim: d0, delta: 2 }], [{ dim: d0, delta: -2 }], [{ dim: d1, delta: 2 }], [{ dim: d1, delta: -2 }]];
    return tf.concat(edits.map((e) => dec(editLatents(z, e))), 0);
  });
  await savePng(`${OUT}editing.png`, grid(await edited.data(), 40, 28, 28, { cols: 8, rowLabels: ['', `z${d0}+2`, `z${d0}-2`, `z${d1}+2`, `z${d1}-2`] }));
  tf.dispose([eight, samples, recon, mu, path, trav, edited, ...Object.values(odd)]);

  // conditional VAE: class rows from the prior, and style transfer
  const cvae = new ConditionalVAE({ inputShape: [28, 28, 1], hidden: [400], latentDim: CVAE_LATENT, numClasses: 10, generator: gen });
  await train('conditional VAE', cvae, tr.images, tr.labels, CVAE_EPOCHS, gen);
  cvae.eval();
  const cm = mean(await nelbo(cvae, test.images, test.labels));
  console.log(`conditional VAE test negative ELBO: ${cm.toFixed(2)} nats/image given the class`);
  const byClass = tf.tidy(() => cvae.sample(100, { labels: tf.tensor1d(Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), 'int32'), generator: gen }));
  await savePng(`${OUT}cvae-classes.png`, grid(await byClass.data(), 100, 28, 28, { cols: 10, rowLabels: Array.from({ length: 10 }, (_, i) => String(i)) }));
  const style = tf.tidy(() => {
    const idx = [0, 1, 2, 3, 4, 5];
    const z = cvae.encode(take(test.images, idx), take(test.labels, idx)).mu; // [6, Z] style codes
    const rows = idx.map((i) => cvae.mean(cvae.decode(tf.tile(tf.slice(z, [i, 0], [1, -1]), [10, 1]), tf.range(0, 10, 1, 'int32'))));
    return tf.concat([...rows.map((r, i) => tf.concat([take(test.images, [i]), r], 0))], 0);
  });
  await savePng(`${OUT}cvae-style.png`, grid(await style.data(), 66, 28, 28, { cols: 11 }));
  tf.dispose([byClass, style]);

  console.log(`wrote ${OUT}{samples,reconstructions,interpolation,traversal,editing,cvae-classes,cvae-style}.png`);
  console.log(elapsed(t0));
  vae.dispose();
  cvae.dispose();
  tf.dispose([tr.images, tr.labels, test.images, test.labels]);
}

await main();
