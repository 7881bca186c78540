/**
 * The example of the "Training loop" guide: a small network on the canonical
 * digits split, trained with `@fovea/optim`'s `Trainer` (Adam, warm-up then
 * cosine decay, accuracy, validation, early stopping, a checkpoint), resumed
 * from that checkpoint, and the same step written by hand the PyTorch way.
 * docs/test/examples.test.ts runs it on a slice of the data.
 *
 *   npx tsx --tsconfig docs/tsconfig.json docs/examples/training.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// #region imports
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, ReLU, Sequential, Subset, TensorDataset, crossEntropy, initBackend, loadDigits } from '@fovea/core';
import { Dropout, Flatten, Linear } from '@fovea/layers';
import { Adam, CosineAnnealingLR, SGD, Trainer, withWarmup, type History } from '@fovea/optim';
// #endregion imports

/** Settings of {@link run}; the defaults are the guide's full run. */
export interface TrainingOptions {
  /** Epochs of the first `fit` (the resumed run trains `epochs + 2` in all). */
  epochs?: number;
  /** Training digits used (of 8,000). */
  trainSize?: number;
  /** Progress output (a bar in a terminal). */
  progress?: boolean;
}

/** What {@link run} measured. */
export interface TrainingResult {
  /** The first run's history. */
  history: History;
  /** The resumed run's history (continues the first). */
  resumed: History;
  /** Accuracy on the 1,000 test digits after the resumed run. */
  testAccuracy: number;
  /** Loss of the hand-written step. */
  manualLoss: number;
}

/** The batch mean of correct predictions, `[]`. */
const accuracy = (logits: tf.Tensor, y: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

/** Builds the network; every random draw comes from `gen`. */
// #region model
function makeModel(gen: Generator): Sequential {
  return new Sequential(
    new Flatten(), // [N, 28, 28, 1] → [N, 784]
    new Linear(784, 256, { generator: gen }),
    new ReLU(),
    new Dropout(0.2, { generator: gen }), // active in train(), off in eval()
    new Linear(256, 10, { generator: gen }), // logits [N, 10]
  );
}
// #endregion model

/** Trains, resumes, evaluates and takes one manual step; returns the numbers. */
export async function run(opts: TrainingOptions = {}): Promise<TrainingResult> {
  const epochs = opts.epochs ?? 6;
  const dir = mkdtempSync(join(tmpdir(), 'fovea-training-'));
  await initBackend();

  // #region data
  const { train, val, test } = await loadDigits(); // the canonical 8,000 / 1,000 / 1,000 split
  const gen = new Generator(0); // one seed: init, dropout and shuffling
  const trainSet = new TensorDataset([train.images, train.labels]); // [8000, 28, 28, 1], [8000] int32
  // a Subset of the first trainSize digits when asked (the documentation test trains on a slice)
  const used = opts.trainSize ? new Subset(trainSet, Array.from({ length: opts.trainSize }, (_, i) => i)) : trainSet;
  const loader = new DataLoader(used, { batchSize: 64, shuffle: true, generator: gen });
  const valLoader = new DataLoader(new TensorDataset([val.images, val.labels]), { batchSize: 500 });
  // #endregion data

  // #region trainer
  const model = makeModel(gen);
  const optimizer = new Adam(model.parameters(), { lr: 2e-3, weightDecay: 1e-5 });
  const totalSteps = (epochs + 2) * loader.length; // this run and the resumed one
  const warmup = Math.max(1, Math.min(50, Math.floor(totalSteps / 10)));
  const scheduler = withWarmup(new CosineAnnealingLR(optimizer, { tMax: totalSteps - warmup }), { warmupSteps: warmup });
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler, // stepped after every batch (schedulerInterval: 'step')
    loss: (logits, y) => crossEntropy(logits, y) as tf.Scalar,
    metrics: { acc: accuracy }, // logged as acc and val_acc
    clipGradNorm: 5, // clip the global gradient norm before each step
    generators: [gen], // checkpoints save and restore its state
    progress: opts.progress ?? false,
  });
  const checkpoint = join(dir, 'run.safetensors');
  const history = await trainer.fit(loader, {
    epochs,
    validation: valLoader,
    earlyStopping: { monitor: 'val_acc', patience: 3 }, // restores the best epoch's weights at the end
    checkpoint: { path: checkpoint, every: 1 }, // model, optimizer, scheduler, RNG, history
  });
  console.log(history.epochs.at(-1)); // { epoch, loss, acc, val_loss, val_acc, lr, timeMs }
  // #endregion trainer

  // #region resume
  // A new process would rebuild everything the same way, then continue where the file left off.
  const gen2 = new Generator(0);
  const model2 = makeModel(gen2);
  const optimizer2 = new Adam(model2.parameters(), { lr: 2e-3, weightDecay: 1e-5 });
  const scheduler2 = withWarmup(new CosineAnnealingLR(optimizer2, { tMax: totalSteps - warmup }), { warmupSteps: warmup });
  const loader2 = new DataLoader(used, { batchSize: 64, shuffle: true, generator: gen2 });
  const trainer2 = new Trainer({
    model: model2, optimizer: optimizer2, scheduler: scheduler2,
    loss: (logits, y) => crossEntropy(logits, y) as tf.Scalar,
    metrics: { acc: accuracy }, generators: [gen2], progress: opts.progress ?? false,
  });
  const resumed = await trainer2.fit(loader2, { epochs: epochs + 2, validation: valLoader, resumeFrom: checkpoint });
  // resumed.epochs holds all epochs: those restored from the checkpoint, then two more
  // #endregion resume

  // #region evaluate
  const scores = await trainer2.evaluate(new DataLoader(new TensorDataset([test.images, test.labels]), { batchSize: 500 }));
  console.log(`test accuracy ${(100 * scores.acc!).toFixed(1)} %`); // evaluate() runs in eval mode, no gradients
  // #endregion evaluate

  // #region manual
  const sgd = new SGD(model2.parameters(), { lr: 0.01, momentum: 0.9 });
  const [x, y] = [tf.slice(train.images, 0, 64), tf.slice(train.labels, 0, 64)]; // one batch
  model2.train();
  sgd.zeroGrad(); // PyTorch: optimizer.zero_grad()
  const loss = sgd.backward(() => crossEntropy(model2.forward(x), y) as tf.Scalar); // loss.backward()
  sgd.clipGradNorm(1.0).dispose(); // torch.nn.utils.clip_grad_norm_(params, 1.0); returns the norm before clipping
  sgd.step(); // optimizer.step()
  const manualLoss = (await loss.data())[0]!;
  // #endregion manual

  tf.dispose([x, y, loss, train.images, train.labels, val.images, val.labels, test.images, test.labels]);
  for (const o of [sgd, optimizer, optimizer2]) o.dispose();
  trainer.dispose();
  trainer2.dispose();
  model.dispose();
  model2.dispose();
  rmSync(dir, { recursive: true, force: true });
  return { history, resumed, testAccuracy: scores.acc!, manualLoss };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await run({ progress: true });
  console.log(`test accuracy after ${r.resumed.epochs.length} epochs: ${(100 * r.testAccuracy).toFixed(1)} %`);
}
