/**
 * Autoencoder features with few labels. A (denoising) autoencoder learns to
 * reconstruct the 8,000 training digits without their labels — 30 % of each
 * input's pixels dropped at random, the full digit as the target. Then only
 * 100 labelled digits (10 per class) train classifiers, scored on the 1,000
 * test digits; each score is averaged over 5 random draws of the 100 labels:
 *
 * - k-nearest neighbours (k = 1) and a linear softmax classifier on raw
 *   pixels vs on the 32 autoencoder codes;
 * - a network of the encoder's shape plus a linear head, trained from scratch
 *   vs fine-tuned from the pretrained encoder (the encoder at a 10× smaller
 *   learning rate than the head).
 *
 *   pnpm --filter @fovea/example-generative autoencoder      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, KNNClassifier, LinearClassifier, Sequential, bceWithLogits, bernoulli, crossEntropy, initBackend } from '@fovea/core';
import { Autoencoder } from '@fovea/generative';
import { Linear } from '@fovea/layers';
import { Adam, StepProgress } from '@fovea/optim';
import { batches, digits, take } from './data.js';
import { grid, savePng } from './png.js';
import { elapsed } from './timing.js';

const SEED = 0;
const AE_EPOCHS = Number(process.env.EPOCHS ?? 15);
const DROP = 0.3; // share of input pixels zeroed during autoencoder training (denoising)
const PER_CLASS = 10; // labelled digits per class
const DRAWS = 5; // random draws of the labelled digits
const OUT = new URL('../out/autoencoder/', import.meta.url).pathname;

type Split = { images: tf.Tensor; labels: tf.Tensor };

/** `PER_CLASS` training indices of each class, drawn with a generator seeded by `draw`. */
function fewLabels(y: Int32Array, draw: number): number[] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (const i of new Generator(1000 + draw).permutation(y.length)) if (byClass[y[i]!]!.length < PER_CLASS) byClass[y[i]!]!.push(i);
  return byClass.flat();
}

async function accuracy(pred: tf.Tensor, labels: tf.Tensor): Promise<number> {
  const a = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(pred, 'int32'), labels), 'float32')));
  const v = (await a.data())[0]!;
  tf.dispose([a, pred]);
  return v;
}

/** kNN (k = 1) and linear softmax accuracies on features `f` of the few labelled digits. */
async function probes(f: (x: tf.Tensor) => tf.Tensor, d: number, xs: tf.Tensor, ys: tf.Tensor, test: Split, gen: Generator): Promise<[number, number]> {
  const [ftr, fte] = [tf.tidy(() => f(xs)), tf.tidy(() => f(test.images))];
  const knn = await new KNNClassifier({ k: 1 }).fit(ftr, ys);
  const knnAcc = await accuracy(await knn.predict(fte), test.labels);
  knn.dispose();
  const lin = new LinearClassifier({ numFeatures: d, numClasses: 10, reg: 1e-3, generator: gen });
  await lin.fit(ftr, ys, { epochs: 300, batchSize: 25, learningRate: 0.1 });
  const linAcc = await accuracy(lin.predict(fte), test.labels);
  lin.dispose();
  tf.dispose([ftr, fte]);
  return [knnAcc, linAcc];
}

/** Trains `encoder → Linear(32, 10)` on the few labels (encoder lr × `encoderLrScale`); returns the test accuracy. */
async function fitNet(encoder: Sequential, encoderLrScale: number, xs: tf.Tensor, ys: tf.Tensor, test: Split, gen: Generator): Promise<number> {
  const head = new Linear(32, 10, { generator: gen });
  const net = new Sequential(encoder, head);
  const opt = new Adam([{ params: encoder.parameters(), lr: 1e-3 * encoderLrScale }, { params: head.parameters() }], { lr: 1e-3, weightDecay: 1e-4 });
  const flat = (x: tf.Tensor) => tf.reshape(x, [x.shape[0]!, 784]);
  for (let e = 0; e < 100; e++) {
    for (const idx of batches(xs.shape[0]!, 25, gen)) {
      const [xb, yb] = [take(xs, idx), take(ys, idx)];
      opt.minimize(() => crossEntropy(net.forward(flat(xb)), yb) as tf.Scalar);
      tf.dispose([xb, yb]);
    }
  }
  opt.dispose();
  const acc = await accuracy(tf.tidy(() => tf.argMax(net.forward(flat(test.images)), 1)), test.labels);
  head.dispose();
  return acc;
}

const stats = (a: number[]) => {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
  return `${(100 * m).toFixed(1)} % ± ${(100 * sd).toFixed(1)}`;
};

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`autoencoder features with few labels — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await digits(false);
  tf.dispose([val.images, val.labels]);

  const ae = new Autoencoder({ inputShape: [28, 28, 1], hidden: [256], latentDim: 32, generator: gen });
  const opt = new Adam(ae.parameters(), { lr: 2e-3 });
  const n = train.images.shape[0]!;
  const bar = new StepProgress('denoising autoencoder (no labels)', AE_EPOCHS * Math.ceil(n / 100));
  for (let e = 0; e < AE_EPOCHS; e++) {
    for (const idx of batches(n, 100, gen)) {
      const x = take(train.images, idx);
      const noisy = tf.tidy(() => tf.mul(x, bernoulli(x.shape, 1 - DROP, { generator: gen })));
      opt.minimize(() => bceWithLogits(ae.forward(noisy), x) as tf.Scalar);
      tf.dispose([x, noisy]);
      bar.tick(1, `epoch ${e + 1}/${AE_EPOCHS}`);
    }
  }
  opt.dispose();
  const testBce = tf.tidy(() => bceWithLogits(ae.forward(test.images), test.images));
  bar.finish(`test reconstruction BCE ${(await testBce.data())[0]!.toFixed(4)} per pixel (clean inputs)`);
  testBce.dispose();
  const recon = tf.tidy(() => tf.concat([tf.slice(test.images, [0], [10]), tf.sigmoid(ae.forward(tf.slice(test.images, [0], [10])))], 0));
  await savePng(`${OUT}reconstructions.png`, grid(await recon.data(), 20, 28, 28, { cols: 10 }));
  recon.dispose();

  const y = (await train.labels.data()) as Int32Array;
  const res: Record<string, number[]> = { knnPix: [], knnAe: [], linPix: [], linAe: [], scratch: [], fine: [] };
  const cbar = new StepProgress(`classifiers on ${10 * PER_CLASS} labels × ${DRAWS} draws`, DRAWS);
  for (let d = 0; d < DRAWS; d++) {
    const few = fewLabels(y, d);
    const [xs, ys] = [take(train.images, few), take(train.labels, few)];
    const [kp, lp] = await probes((x) => tf.reshape(x, [x.shape[0]!, 784]), 784, xs, ys, test, gen);
    const [ka, la] = await probes((x) => ae.encode(x), 32, xs, ys, test, gen);
    res['knnPix']!.push(kp);
    res['linPix']!.push(lp);
    res['knnAe']!.push(ka);
    res['linAe']!.push(la);
    const fresh = new Autoencoder({ inputShape: [28, 28, 1], hidden: [256], latentDim: 32, generator: gen });
    res['scratch']!.push(await fitNet(fresh.encoder, 1, xs, ys, test, gen));
    fresh.dispose();
    const copy = new Autoencoder({ inputShape: [28, 28, 1], hidden: [256], latentDim: 32, generator: gen });
    const sd = ae.stateDict();
    copy.loadStateDict(sd);
    tf.dispose(Object.values(sd));
    res['fine']!.push(await fitNet(copy.encoder, 0.1, xs, ys, test, gen));
    copy.dispose();
    tf.dispose([xs, ys]);
    cbar.tick();
  }
  cbar.finish('done');
  console.log(`${10 * PER_CLASS} labelled training digits (${PER_CLASS} per class), accuracy on the 1,000 test digits (mean ± sd over ${DRAWS} draws):`);
  console.log(`  1-nearest neighbour   pixels ${stats(res['knnPix']!)}   autoencoder codes ${stats(res['knnAe']!)}`);
  console.log(`  linear softmax        pixels ${stats(res['linPix']!)}   autoencoder codes ${stats(res['linAe']!)}`);
  console.log(`  MLP 784-256-32-10     from scratch ${stats(res['scratch']!)}   encoder pretrained, fine-tuned ${stats(res['fine']!)}`);
  const gain = (a: string, b: string) => (100 * (res[b]!.reduce((s, v) => s + v, 0) - res[a]!.reduce((s, v) => s + v, 0))) / DRAWS;
  console.log(`gain from the unlabelled digits: kNN ${gain('knnPix', 'knnAe').toFixed(1)} points, linear ${gain('linPix', 'linAe').toFixed(1)}, fine-tuned MLP ${gain('scratch', 'fine').toFixed(1)}`);
  console.log(elapsed(t0));
  tf.dispose([train.images, train.labels, test.images, test.labels]);
  ae.dispose();
}

await main();
