/**
 * A two-layer network (784 → 512 → 10, ReLU, dropout) on the mnist package's digits,
 * trained with @fovea/optim's Trainer: Adam with a cosine learning-rate
 * schedule, the course's sanity checks first (initial loss ≈ log 10,
 * overfitting 32 examples), per-epoch progress, validation with early
 * stopping on the canonical 1,000 validation digits, the accuracy on the
 * 1,000 test digits, and a loss-curve PNG.
 *
 *   pnpm --filter @fovea/example-digits mlp      (after `pnpm build`)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  DataLoader,
  Generator,
  Module,
  TensorDataset,
  bernoulli,
  crossEntropy,
  defaultBiasInit,
  defaultWeightInit,
  initBackend,
  linearWeightLayout,
  loadDigits,
  type Parameter,
} from '@fovea/core';
import { Adam, CosineAnnealingLR, Trainer, checkInitialLoss, overfitSmallSample, type History } from '@fovea/optim';
import { canvas, drawText, fillRect, savePng, type Canvas } from './png.js';

const SEED = 0; // one seed reproduces the whole run (init, shuffling)
const EPOCHS = 20; // cosine over all steps; early stopping usually ends sooner
const BATCH = 64; // 125 steps per epoch on 8,000 digits
const HIDDEN = 512; // hidden units: a few seconds per epoch on wasm
const LR = 1e-3; // Adam's peak rate, annealed to 0 by the cosine schedule
const DROPOUT = 0.4; // on the hidden layer: 8,000 digits are few, the net overfits without it

/** A fully connected layer `y = x W + b`, PyTorch's default init, state-dict keys `weight` ([out, in]) and `bias`. */
class Dense extends Module<[tf.Tensor], tf.Tensor> {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(dIn: number, dOut: number, generator: Generator) {
    super();
    this.weight = this.registerParameter('weight', defaultWeightInit([dIn, dOut], { layout: linearWeightLayout, generator }), { layout: linearWeightLayout });
    this.bias = this.registerParameter('bias', defaultBiasInit([dOut], dIn, { generator }));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(x, this.weight), this.bias)); // [N, dOut]
  }
}

/** `Linear → ReLU → Linear` on flattened images; state-dict keys `fc1.weight`, `fc1.bias`, `fc2.weight`, `fc2.bias`. */
class TwoLayerNet extends Module<[tf.Tensor], tf.Tensor> {
  readonly fc1: Dense;
  readonly fc2: Dense;

  constructor(dIn: number, hidden: number, k: number, private readonly generator: Generator, private readonly dropout = 0) {
    super();
    this.fc1 = this.registerModule('fc1', new Dense(dIn, hidden, generator));
    this.fc2 = this.registerModule('fc2', new Dense(hidden, k, generator));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0]!, -1]); // [N, 784]
      let h = tf.relu(this.fc1.forward(flat)); // [N, hidden]
      if (this.training && this.dropout > 0) {
        // inverted dropout, drawn from the seeded generator so a run (and a resumed run) is reproducible
        h = tf.div(tf.mul(h, bernoulli(h.shape, 1 - this.dropout, { generator: this.generator })), 1 - this.dropout);
      }
      return this.fc2.forward(h); // [N, 10] logits
    });
  }
}

const loss = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y) as tf.Scalar;
const accuracy = (logits: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

/** Draws a polyline of `ys` (data units) into the plot rectangle. */
function polyline(c: Canvas, ys: number[], box: { x: number; y: number; w: number; h: number }, lo: number, hi: number, rgb: number[], thick = 1): void {
  const px = (i: number) => box.x + (ys.length > 1 ? (i * (box.w - 1)) / (ys.length - 1) : 0);
  const py = (v: number) => box.y + box.h - 1 - ((Math.min(hi, Math.max(lo, v)) - lo) * (box.h - 1)) / (hi - lo);
  for (let i = 1; i < ys.length; i++) {
    const [x0, y0, x1, y1] = [px(i - 1), py(ys[i - 1]!), px(i), py(ys[i]!)];
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let s = 0; s <= n; s++) fillRect(c, Math.round(x0 + ((x1 - x0) * s) / n), Math.round(y0 + ((y1 - y0) * s) / n), thick, thick, rgb);
  }
}

/** The loss curve: per-step training loss (light), per-epoch train (blue) and validation (orange) loss. */
async function plotLoss(h: History, path: string): Promise<void> {
  const c = canvas(720, 420);
  const box = { x: 60, y: 20, w: 640, h: 350 };
  fillRect(c, box.x - 1, box.y, 1, box.h, [0, 0, 0]);
  fillRect(c, box.x - 1, box.y + box.h, box.w + 1, 1, [0, 0, 0]);
  const hi = Math.ceil(Math.max(...h.stepLoss.slice(0, 5)) * 2) / 2;
  for (let v = 0; v <= hi + 1e-9; v += 0.5) {
    const y = Math.round(box.y + box.h - 1 - (v * (box.h - 1)) / hi);
    fillRect(c, box.x, y, box.w, 1, Number.isInteger(v) ? [200, 200, 200] : [235, 235, 235]);
    if (Number.isInteger(v)) drawText(c, String(v), 36, y - 5, 2, [80, 80, 80]); // loss in nats; x axis: epochs
  }
  polyline(c, h.stepLoss, box, 0, hi, [170, 190, 230]);
  const perEpoch = (k: string) => [h.stepLoss[0]!, ...h.epochs.map((e) => e[k]!)];
  polyline(c, perEpoch('loss'), box, 0, hi, [31, 119, 180], 3);
  if (h.epochs[0]?.['val_loss'] !== undefined) polyline(c, perEpoch('val_loss'), box, 0, hi, [255, 127, 14], 3);
  h.epochs.forEach((e, i) => drawText(c, String(e.epoch), box.x + ((i + 1) * (box.w - 1)) / h.epochs.length - 4, box.y + box.h + 8, 2, [80, 80, 80]));
  await savePng(path, c);
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`two-layer net on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await loadDigits();
  const model = new TwoLayerNet(784, HIDDEN, 10, gen, DROPOUT);
  const loaders = {
    train: new DataLoader(new TensorDataset([train.images, train.labels]), { batchSize: BATCH, shuffle: true, generator: gen }),
    val: new DataLoader(new TensorDataset([val.images, val.labels]), { batchSize: 500 }),
    test: new DataLoader(new TensorDataset([test.images, test.labels]), { batchSize: 500 }),
  };

  // the course's recipe, step 1: an untrained softmax classifier should score about log 10
  const init = await checkInitialLoss(model, val.images, val.labels, loss);
  console.log(`initial loss ${init.loss.toFixed(3)} (log 10 = ${init.expected.toFixed(3)}): ${init.ok ? 'ok' : 'suspicious'}`);
  // step 2: a copy of the model must overfit 32 examples (proves the loop can learn)
  const probe = new TwoLayerNet(784, HIDDEN, 10, new Generator(SEED + 1));
  const probeOpt = new Adam(probe.parameters(), { lr: LR });
  const [xs, ys] = [tf.slice(train.images, 0, 32), tf.slice(train.labels, 0, 32)];
  const fit = await overfitSmallSample(probe, probeOpt, xs, ys, loss, { steps: 100 });
  console.log(`overfit 32 digits: loss ${fit.losses[0]!.toFixed(3)} → ${fit.finalLoss.toFixed(4)}${fit.reachedAt !== null ? ` (below 0.05 after ${fit.reachedAt} steps)` : ''}`);
  tf.dispose([xs, ys]);
  probeOpt.dispose();
  probe.dispose();

  const optimizer = new Adam(model.parameters(), { lr: LR });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: EPOCHS * loaders.train.length });
  const trainer = new Trainer({ model, optimizer, loss, scheduler, metrics: { acc: accuracy }, generators: [gen] });
  const history = await trainer.fit(loaders.train, { epochs: EPOCHS, validation: loaders.val, earlyStopping: { monitor: 'val_loss', patience: 4 } });
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch)!;
  console.log(`best epoch ${history.bestEpoch}: val_loss ${best['val_loss']!.toFixed(4)}, val_acc ${(100 * best['val_acc']!).toFixed(1)} %`);

  const res = await trainer.evaluate(loaders.test);
  console.log(`test accuracy ${(100 * res['acc']!).toFixed(2)} % on ${test.labels.shape[0]} test digits (test loss ${res['loss']!.toFixed(4)})`);

  const outDir = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const png = `${outDir}mlp-loss.png`;
  await plotLoss(history, png);
  console.log(`loss curve: ${png} (light: every step, blue: training loss per epoch, orange: validation loss)`);

  trainer.dispose();
  optimizer.dispose();
  model.dispose();
  tf.dispose([train.images, train.labels, val.images, val.labels, test.images, test.labels]);
}

await main();
