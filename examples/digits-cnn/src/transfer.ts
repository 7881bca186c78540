/**
 * Transfer learning with few labels, as the course teaches it: a CNN is
 * pretrained on the digits 0–4 (all their training images, augmented), then
 * reused for the digits 5–9 with only 2, 5 or 10 labelled images per class —
 * its classifier replaced, first trained alone on the frozen convolutional
 * backbone ("head only"), then everything fine-tuned with the backbone at a
 * tenth of the head's learning rate (parameter groups). The baseline is the
 * same network trained from scratch on the same images for the same number of
 * steps. A 1-nearest-neighbour on raw pixels and on the frozen backbone's
 * features (FeatureExtractor) shows what the pretrained features alone give.
 * Every regime is repeated on 3 random draws of the labelled images (scores
 * vary by a few points between draws) and scored on all test digits 5–9.
 * The learning rates were picked on the validation digits 5–9.
 *
 *   pnpm --filter @fovea/example-digits-cnn transfer      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, KNNClassifier, TensorDataset, crossEntropy, initBackend, loadDigits, randomAffine, type Module, type Sequential, type StateDict } from '@fovea/core';
import { FeatureExtractor, Linear, fineTuneParamGroups, freeze, replaceHead, unfreeze } from '@fovea/layers';
import { Adam, CosineAnnealingLR, Trainer, type AdamOptions, type ParamsInput } from '@fovea/optim';
import { digitsCnn } from './model.js';

const SEED = 0; // one seed reproduces the run
const PER_CLASS = [2, 5, 10]; // labelled images per new class: the few-label regimes compared
const DRAWS = 3; // random draws of the labelled images per regime
const PRETRAIN_EPOCHS = 4; // on the ~4,000 training images of 0–4, cosine-annealed
const HEAD_STEPS = 100; // stage 1: head only, backbone frozen
const TUNE_STEPS = 200; // stage 2: everything
const HEAD_LR = 3e-3; // the new classifier's rate
const BACKBONE_LR = 3e-4; // the pretrained backbone's rate in stage 2 (3e-3 did worse on the validation digits)
const SCRATCH_LR = 3e-3; // from scratch (1e-3 did no better on the validation digits)
const HEAD = ['13', '16']; // the Sequential positions of the classifier's two Linear layers (see model.ts)
const FEATURES = '11'; // the flattened convolutional features [N, 3136] (see model.ts)

const loss = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y) as tf.Scalar;
const accuracy = (logits: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

/** Images `[N, 28, 28, 1]` and labels `[N]`. */
type Labelled = { x: tf.Tensor; y: tf.Tensor };

/**
 * The images and labels (shifted to start at 0) of the digits in `[lo, lo + 5)`:
 * all of them, or `perClass` of each drawn at random with `draw`.
 */
function pick(images: Float32Array, labels: Int32Array, lo: number, perClass = Infinity, draw?: Generator): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const order = draw ? draw.permutation(labels.length) : Int32Array.from(labels, (_, i) => i);
  const count = new Array(5).fill(0);
  const idx: number[] = [];
  for (const i of order) {
    const c = labels[i]! - lo;
    if (c >= 0 && c < 5 && count[c] < perClass) {
      count[c]++;
      idx.push(i);
    }
  }
  idx.sort((a, b) => a - b);
  const x = new Float32Array(idx.length * 784);
  idx.forEach((i, k) => x.set(images.subarray(i * 784, (i + 1) * 784), k * 784));
  return { x: tf.tensor4d(x, [idx.length, 28, 28, 1]), y: tf.tensor1d(Int32Array.from(idx, (i) => labels[i]! - lo), 'int32') };
}

/** Trains `model` for `steps` optimizer steps on the few-label set (augmented), with Adam over `params`. */
async function trainSteps(model: Module, params: ParamsInput<AdamOptions>, lr: number, steps: number, data: { x: tf.Tensor; y: tf.Tensor }, gen: Generator): Promise<void> {
  const augment = ([x, y]: tf.Tensor[]) => [randomAffine(x!, { degrees: 10, translate: [0.08, 0.08], generator: gen }), y!];
  const loader = new DataLoader(new TensorDataset([data.x, data.y]), { batchSize: 25, shuffle: true, generator: gen, transform: augment });
  const optimizer = new Adam(params, { lr });
  const epochs = Math.ceil(steps / loader.length);
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: epochs * loader.length });
  const trainer = new Trainer({ model, optimizer, loss, scheduler, generators: [gen], progress: false });
  await trainer.fit(loader, { epochs });
  trainer.dispose();
  optimizer.dispose();
}

/** Accuracy of `model` (in eval mode) on a labelled set. */
async function evaluate(model: Module, data: { x: tf.Tensor; y: tf.Tensor }): Promise<number> {
  model.eval();
  const acc = tf.tidy(() => accuracy(model.forward(data.x) as tf.Tensor, data.y));
  const value = (await acc.data())[0]!;
  acc.dispose();
  model.train();
  return value;
}

async function knnAccuracy(trainX: tf.Tensor, trainY: tf.Tensor, testX: tf.Tensor, testY: tf.Tensor): Promise<number> {
  const knn = await new KNNClassifier({ k: 1 }).fit(trainX, trainY);
  const pred = await knn.predict(testX);
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(pred, testY), 'float32')));
  const value = (await acc.data())[0]!;
  tf.dispose([pred, acc]);
  knn.dispose();
  return value;
}

/** The pretrained network with a new classifier (both Linear layers), fine-tuned on `few`: head first, then everything. */
async function fineTune(pretrained: StateDict, few: Labelled, test: Labelled, gen: Generator): Promise<{ net: Sequential; headOnly: number }> {
  const net = digitsCnn(5, gen);
  net.loadStateDict(pretrained);
  replaceHead(net, HEAD[0]!, new Linear(7 * 7 * 64, 128, { generator: gen }));
  replaceHead(net, HEAD[1]!, new Linear(128, 5, { generator: gen }));
  freeze(net, { except: HEAD }); // stage 1: the new head on the frozen backbone (BatchNorm statistics pinned)
  await trainSteps(net, net.trainableParameters(), HEAD_LR, HEAD_STEPS, few, gen);
  const headOnly = await evaluate(net, test);
  unfreeze(net); // stage 2: everything, the backbone at a tenth of the head's rate
  await trainSteps(net, fineTuneParamGroups(net, { head: HEAD, backboneLr: BACKBONE_LR, headLr: HEAD_LR }), HEAD_LR, TUNE_STEPS, few, gen);
  return { net, headOnly };
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`transfer learning on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const d = await loadDigits({ format: 'array' });
  const source = pick(d.train.images, d.train.labels, 0); // digits 0–4, all training images
  const sourceVal = pick(d.val.images, d.val.labels, 0);
  const test = pick(d.test.images, d.test.labels, 5); // all test digits 5–9: the reported scores
  console.log(`pretraining set: ${source.y.shape[0]} digits 0–4; test set: ${test.y.shape[0]} digits 5–9`);

  // 1. pretrain on the digits 0–4
  const t0 = Date.now();
  const base = digitsCnn(5, gen);
  {
    const augment = ([x, y]: tf.Tensor[]) => [randomAffine(x!, { degrees: 10, translate: [0.08, 0.08], generator: gen }), y!];
    const loader = new DataLoader(new TensorDataset([source.x, source.y]), { batchSize: 64, shuffle: true, generator: gen, transform: augment });
    const optimizer = new Adam(base.parameters(), { lr: 2e-3 });
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: PRETRAIN_EPOCHS * loader.length });
    const trainer = new Trainer({ model: base, optimizer, loss, scheduler, metrics: { acc: accuracy }, generators: [gen] });
    await trainer.fit(loader, { epochs: PRETRAIN_EPOCHS, validation: new DataLoader(new TensorDataset([sourceVal.x, sourceVal.y]), { batchSize: 500 }) });
    trainer.dispose();
    optimizer.dispose();
  }
  console.log(`pretrained on 0–4 in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${(100 * (await evaluate(base, sourceVal))).toFixed(2)} % on the validation digits 0–4`);
  const pretrained = base.stateDict();

  const methods = ['1-NN pixels', '1-NN features', 'from scratch', 'head only', 'fine-tuned'] as const;
  const lines: string[] = [`labels/class  ${methods.map((m) => m.padStart(20)).join('')}`];
  for (const perClass of PER_CLASS) {
    const scores: number[][] = methods.map(() => []);
    for (let draw = 0; draw < DRAWS; draw++) {
      const few = pick(d.train.images, d.train.labels, 5, perClass, new Generator(1000 + draw)); // digits 5–9, perClass of each
      // 1-NN with the few labels: raw pixels vs the frozen backbone's convolutional features
      const features = new FeatureExtractor(base, { layer: FEATURES });
      const inputs = [tf.reshape(few.x, [-1, 784]), tf.reshape(test.x, [-1, 784]), features.forward(few.x), features.forward(test.x)];
      scores[0]!.push(await knnAccuracy(inputs[0]!, few.y, inputs[1]!, test.y));
      scores[1]!.push(await knnAccuracy(inputs[2]!, few.y, inputs[3]!, test.y));
      tf.dispose(inputs);
      unfreeze(base);
      // the same network from scratch, and the pretrained one fine-tuned: same images, same number of steps
      const scratch = digitsCnn(5, new Generator(SEED + 1 + draw));
      await trainSteps(scratch, scratch.parameters(), SCRATCH_LR, HEAD_STEPS + TUNE_STEPS, few, gen);
      scores[2]!.push(await evaluate(scratch, test));
      scratch.dispose();
      const tuned = await fineTune(pretrained, few, test, gen);
      scores[3]!.push(tuned.headOnly);
      scores[4]!.push(await evaluate(tuned.net, test));
      tuned.net.dispose();
      tf.dispose([few.x, few.y]);
      console.log(`${perClass} labels/class, draw ${draw + 1}: ${methods.map((m, i) => `${m} ${(100 * scores[i]!.at(-1)!).toFixed(2)} %`).join(', ')}`);
    }
    const cell = (v: number[]) => {
      const mean = (100 * v.reduce((a, b) => a + b, 0)) / v.length;
      return `${mean.toFixed(1)} (${(100 * Math.min(...v)).toFixed(1)}–${(100 * Math.max(...v)).toFixed(1)})`.padStart(20);
    };
    lines.push(`${String(perClass).padStart(12)}  ${scores.map(cell).join('')}`);
  }
  console.log(`\ntest accuracy (%) on the ${test.y.shape[0]} test digits 5–9, mean (min–max) over ${DRAWS} draws of the labelled images:\n${lines.join('\n')}`);
  tf.dispose(Object.values(pretrained));
  base.dispose();
  tf.dispose([source.x, source.y, sourceVal.x, sourceVal.y, test.x, test.y]);
}

await main();
