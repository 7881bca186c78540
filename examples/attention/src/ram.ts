/**
 * The recurrent attention model (Mnih et al. 2014) on the mnist package's
 * digits pasted at random positions of a 60×60 black canvas. The model never
 * sees the whole canvas: it takes 6 glimpses (12×12 px at 3 resolutions, 12,
 * 24 and 48 px wide), an RNN core from @fovea/rnn integrates them, a Gaussian
 * location policy trained with REINFORCE (and a learned baseline) decides
 * where to look next, and the last state is classified. Canonical split:
 * 8,000 training digits (new placements every epoch), validation and test on
 * fixed placements. Writes `out/ram-glimpses.png`: test canvases with the
 * glimpse path (finest patch per glimpse, numbered by colour from red to blue).
 *
 *   pnpm --filter @fovea/example-attention ram      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend, loadDigits, randperm, type DigitsArraySplit } from '@fovea/core';
import { Adam, CosineAnnealingLR, ProgressBar, clipGradNorm } from '@fovea/optim';
import { RecurrentAttentionModel, ramLoss } from '@fovea/attention';
import { canvas, drawGrey, line, rect, savePng, type RGB } from './png.js';
import { translatedBatch } from './translated-digits.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const SEED = env('SEED', 0); // one seed reproduces the run (init, placements, policy noise)
const EPOCHS = env('EPOCHS', 30); // RAM learns slowly; the cosine schedule runs over all epochs
const BATCH = env('BATCH', 64);
const LR = env('LR', 1e-3); // Adam
const CANVAS = 60; // the paper's translated-MNIST canvas
const GLIMPSES = env('GLIMPSES', 6);
const SIZE = env('SIZE', 12); // glimpse patch side (px)
const STD = env('STD', 0.1); // location policy σ (the canvas spans [-1, 1])
const REINFORCE = env('REINFORCE', 1); // weight of the REINFORCE term

/** Accuracy and mean loss over fixed canvases, in eval mode (policy means, no sampling). */
async function evaluate(ram: RecurrentAttentionModel, images: tf.Tensor4D, labels: tf.Tensor1D): Promise<number> {
  ram.eval();
  const n = images.shape[0];
  let correct = 0;
  for (let i = 0; i < n; i += 250) {
    const size = Math.min(250, n - i);
    const reward = tf.tidy(() => {
      const x = tf.slice(images, [i, 0, 0, 0], [size, CANVAS, CANVAS, 1]);
      const y = tf.slice(labels, [i], [size]);
      return tf.mul(ramLoss(ram.forward(x), y).reward, size);
    });
    correct += (await reward.data())[0]!;
    reward.dispose();
  }
  ram.train();
  return correct / n;
}

/** Eight test canvases with the glimpse path: `out/ram-glimpses.png`. */
async function glimpsePicture(ram: RecurrentAttentionModel, images: tf.Tensor4D, labels: tf.Tensor1D, path: string): Promise<void> {
  ram.eval();
  const n = 8;
  const x = tf.slice(images, [0, 0, 0, 0], [n, CANVAS, CANVAS, 1]);
  const out = ram.forward(x);
  const [img, locs, pred, lab] = await Promise.all([x.data(), out.locations.data(), tf.argMax(out.logits, -1).data(), tf.slice(labels, [0], [n]).data()]);
  const s = 4;
  const side = CANVAS * s;
  const c = canvas(n * (side + 8) + 8, side + 16);
  const colour = (t: number): RGB => [Math.round(255 * (1 - t)), 40, Math.round(255 * t)];
  for (let i = 0; i < n; i++) {
    const x0 = 8 + i * (side + 8);
    drawGrey(c, img.subarray(i * CANVAS * CANVAS, (i + 1) * CANVAS * CANVAS), CANVAS, CANVAS, x0, 8, s);
    let prev: [number, number] | null = null;
    for (let t = 0; t < GLIMPSES; t++) {
      const lx = locs[(i * GLIMPSES + t) * 2]!;
      const ly = locs[(i * GLIMPSES + t) * 2 + 1]!;
      const px = x0 + ((lx + 1) / 2) * side;
      const py = 8 + ((ly + 1) / 2) * side;
      const col = colour(t / Math.max(1, GLIMPSES - 1));
      rect(c, px - (SIZE * s) / 2, py - (SIZE * s) / 2, SIZE * s, SIZE * s, col, 1);
      if (prev) line(c, prev[0], prev[1], px, py, col, 2);
      prev = [px, py];
    }
  }
  await savePng(path, c);
  console.log(`glimpse paths of ${n} test canvases (labels ${Array.from(lab).join(' ')}, predicted ${Array.from(pred).join(' ')}) → ${path}`);
  tf.dispose([x, out.logits, out.locations, out.logProbs, out.baselines]);
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`RAM on digits in a ${CANVAS}×${CANVAS} canvas — ${info.summary}`);
  const gen = new Generator(SEED);
  const digits = await loadDigits({ format: 'array' });
  const fixed = (split: DigitsArraySplit, seed: number) => translatedBatch(split, Array.from({ length: split.labels.length }, (_, i) => i), CANVAS, new Generator(seed));
  const val = fixed(digits.val, 1);
  const test = fixed(digits.test, 2);
  const ram = new RecurrentAttentionModel({ size: SIZE, depth: 3, scale: 2, numGlimpses: GLIMPSES, locationStd: STD, hiddenSize: 256, generator: gen });
  console.log(`model: ${GLIMPSES} glimpses of ${SIZE}×${SIZE} px at 3 scales, RNN core 256: ${ram.numParameters().toLocaleString('en')} parameters`);
  const optimizer = new Adam(ram.parameters(), { lr: LR });
  const steps = Math.floor(digits.train.labels.length / BATCH);
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: EPOCHS * steps });
  const bar = new ProgressBar(undefined, EPOCHS);
  const t0 = Date.now();
  let best = { acc: -1, epoch: 0, state: null as Record<string, tf.Tensor> | null };
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const e0 = Date.now();
    bar.startEpoch(epoch, steps);
    const order = randperm(digits.train.labels.length, { generator: gen });
    let sums = { loss: 0, acc: 0 };
    for (let s = 0; s < steps; s++) {
      const batch = translatedBatch(digits.train, order.subarray(s * BATCH, (s + 1) * BATCH), CANVAS, gen);
      let terms: { loss: tf.Scalar; reward: tf.Scalar } | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const t = ramLoss(ram.forward(batch.images), batch.labels, { reinforceWeight: REINFORCE });
        terms = { loss: t.loss, reward: tf.keep(t.reward) };
        tf.dispose([t.classification, t.baseline, t.reinforce]);
        return t.loss;
      });
      const clipped = clipGradNorm(grads, 5);
      optimizer.step(clipped.grads);
      scheduler.step();
      const [l, r] = await Promise.all([value.data(), terms!.reward.data()]);
      sums = { loss: sums.loss + l[0]!, acc: sums.acc + r[0]! };
      tf.dispose([value, terms!.reward, ...Object.values(grads), ...Object.values(clipped.grads), clipped.totalNorm, batch.images, batch.labels]);
      bar.update(s + 1, { loss: sums.loss / (s + 1), acc: sums.acc / (s + 1) });
    }
    const valAcc = await evaluate(ram, val.images, val.labels);
    bar.endEpoch({ epoch, loss: sums.loss / steps, acc: sums.acc / steps, val_acc: valAcc, lr: optimizer.paramGroups[0]!.lr, timeMs: Date.now() - e0 });
    if (valAcc > best.acc) {
      if (best.state) tf.dispose(Object.values(best.state));
      best = { acc: valAcc, epoch, state: ram.stateDict() };
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  console.log(`trained ${EPOCHS} epochs in ${seconds.toFixed(0)} s (process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s); best epoch ${best.epoch}: val_acc ${(100 * best.acc).toFixed(2)} %`);
  ram.loadStateDict(best.state!);
  const testAcc = await evaluate(ram, test.images, test.labels);
  console.log(`test accuracy ${(100 * testAcc).toFixed(2)} % on ${test.labels.shape[0]} test digits at random positions of a ${CANVAS}×${CANVAS} canvas`);
  await glimpsePicture(ram, test.images, test.labels, 'out/ram-glimpses.png');
  tf.dispose([...Object.values(best.state!), val.images, val.labels, test.images, test.labels]);
  optimizer.dispose();
  ram.dispose();
}

await main();
