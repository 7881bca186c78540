/**
 * Conditional DCGAN on the digits: a generator that sees a one-hot label next
 * to its latent code and a projection discriminator, trained with the
 * non-saturating loss, one-sided label smoothing (0.9) and Adam (lr 5e-4,
 * β1 0.5). A small CNN classifier trained here on the
 * real digits judges the samples: the share of generated digits it
 * recognises as the class that was asked for, and the Fréchet distance (FID)
 * between generated and real test digits on its 128 penultimate features.
 * Writes a grid with one row per class.
 *
 *   pnpm --filter @fovea/example-generative cgan      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
import { DCGANDiscriminator, DCGANGenerator, ganTrainStep } from '@fovea/generative';
import { frechetDistance } from '@fovea/metrics';
import { Adam, StepProgress } from '@fovea/optim';
import { DigitsClassifier, accuracy, trainClassifier } from './classifier.js';
import { batches, digits, take } from './data.js';
import { grid, savePng } from './png.js';
import { elapsed } from './timing.js';

const SEED = 0;
const EPOCHS = Number(process.env.EPOCHS ?? 12); // 1,500 steps of 64
const CLASSIFIER_EPOCHS = 5;
const CONDITIONING = (process.env.CONDITIONING ?? 'projection') as 'concat' | 'projection'; // how D sees the label
const LR = Number(process.env.LR ?? 5e-4); // DCGAN's 2e-4 is slower to reach class-faithful digits on 8,000 images
const REAL_LABEL = Number(process.env.REAL_LABEL ?? 0.9); // one-sided label smoothing
const BASE = Number(process.env.BASE ?? 16); // DCGAN's ngf / ndf for 28×28: 7×7×32 → 14×14×16 → 28×28
const LATENT = 64;
const BATCH = 64;
const OUT = process.env.OUT_DIR ?? new URL('../out/cgan/', import.meta.url).pathname;

/** `perClass` generated digits of every class, `[10·perClass, 28, 28, 1]` in [0, 1], and their labels. */
function generate(G: DCGANGenerator, perClass: number, gen: Generator): { images: tf.Tensor; labels: tf.Tensor } {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Array.from({ length: 10 * perClass }, (_, i) => Math.floor(i / perClass)), 'int32');
    const images = tf.div(tf.add(G.forward(G.sampleLatent(10 * perClass, gen), labels), 1), 2); // tanh → [0, 1]
    return { images, labels };
  });
}

async function features(clf: DigitsClassifier, images: tf.Tensor): Promise<tf.Tensor> {
  return tf.tidy(() => clf.embed(images));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`conditional DCGAN on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await digits(false);
  tf.dispose([val.images, val.labels]);

  const clf = new DigitsClassifier(gen);
  await trainClassifier(clf, train, test, CLASSIFIER_EPOCHS, gen);
  clf.eval();

  const G = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: LATENT, baseChannels: BASE, numClasses: 10, generator: gen });
  const D = new DCGANDiscriminator({ imageShape: [28, 28, 1], baseChannels: BASE, numClasses: 10, conditioning: CONDITIONING, generator: gen });
  console.log(`generator ${G.numParameters().toLocaleString('en')} parameters, discriminator ${D.numParameters().toLocaleString('en')} (${CONDITIONING} conditioning), Adam lr ${LR}, β1 0.5, batch ${BATCH}`);
  const optG = new Adam(G.parameters(), { lr: LR, betas: [0.5, 0.999] });
  const optD = new Adam(D.parameters(), { lr: LR, betas: [0.5, 0.999] });
  const realScaled = tf.tidy(() => tf.sub(tf.mul(train.images, 2), 1)); // [0, 1] → [−1, 1], the tanh range
  const n = train.images.shape[0]!;
  const bar = new StepProgress('conditional GAN', EPOCHS * Math.floor(n / BATCH));
  for (let e = 0; e < EPOCHS; e++) {
    let d = 0;
    let g = 0;
    let steps = 0;
    for (const idx of batches(n, BATCH, gen)) {
      if (idx.length < BATCH) continue; // BatchNorm batches of equal size
      const [x, y] = [take(realScaled, idx), take(train.labels, idx)];
      const r = ganTrainStep(G, D, optG, optD, x, { labels: y, generator: gen, generatorLoss: 'non_saturating', realLabel: REAL_LABEL });
      d += (await r.dLoss.data())[0]!;
      g += (await r.gLoss.data())[0]!;
      steps++;
      tf.dispose([x, y, r.dLoss, r.gLoss]);
      bar.tick(1, `epoch ${e + 1}/${EPOCHS}`);
    }
    G.eval();
    const probe = generate(G, 20, gen);
    const acc = await accuracy(clf, probe.images, probe.labels);
    if (process.env.DEBUG) await savePng(`${OUT}epoch-${e + 1}.png`, grid(await probe.images.data(), 200, 28, 28, { cols: 20, scale: 1 }));
    tf.dispose([probe.images, probe.labels]);
    G.train();
    if (!process.stdout.isTTY || process.env.VERBOSE) console.log(`  epoch ${e + 1}: D loss ${(d / steps).toFixed(3)}, G loss ${(g / steps).toFixed(3)}, class accuracy of 200 samples ${(100 * acc).toFixed(1)} %`);
  }
  bar.finish(`${EPOCHS} epochs`);
  G.eval();

  // the bar: 1,000 samples (100 per class) must be recognised as their class
  const fake = generate(G, 100, gen);
  const rate = await accuracy(clf, fake.images, fake.labels);
  console.log(`classifier recognises the requested digit in ${(100 * rate).toFixed(1)} % of 1,000 generated digits (bar: ≥ 90 %)`);
  const [fFake, fTest, fTrain] = [await features(clf, fake.images), await features(clf, test.images), await features(clf, take(train.images, Array.from({ length: 1000 }, (_, i) => i)))];
  const fid = await frechetDistance(fTest, fFake);
  const floor = await frechetDistance(fTest, fTrain);
  console.log(`FID on the classifier's 128 features, 1,000 generated vs 1,000 test digits: ${fid.toFixed(2)} (real train vs test digits: ${floor.toFixed(2)})`);

  const rows = generate(G, 10, gen);
  await savePng(`${OUT}classes.png`, grid(await rows.images.data(), 100, 28, 28, { cols: 10, rowLabels: Array.from({ length: 10 }, (_, i) => String(i)), scale: 2 }));
  // one latent per column, every class per row: the latent carries the style
  const style = tf.tidy(() => {
    const z = tf.tile(G.sampleLatent(10, gen), [10, 1]); // [100, Z]: column j uses z_j in every row
    const labels = tf.tensor1d(Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), 'int32');
    return tf.div(tf.add(G.forward(z, labels), 1), 2);
  });
  await savePng(`${OUT}style.png`, grid(await style.data(), 100, 28, 28, { cols: 10, rowLabels: Array.from({ length: 10 }, (_, i) => String(i)) }));
  console.log(`wrote ${OUT}classes.png and ${OUT}style.png`);
  console.log(elapsed(t0));
  tf.dispose([realScaled, fake.images, fake.labels, fFake, fTest, fTrain, rows.images, rows.labels, style, train.images, train.labels, test.images, test.labels]);
  [G, D, clf].forEach((m) => m.dispose());
  optG.dispose();
  optD.dispose();
}

await main();
