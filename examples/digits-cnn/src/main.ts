/**
 * A small CNN on the mnist package's digits, trained with @fovea/optim's
 * Trainer: Adam with a one-cycle learning-rate schedule, random shifts and
 * rotations as augmentation, validation with early stopping on the canonical
 * 1,000 validation digits (best weights restored), and one score on the 1,000
 * test digits. Prints the accuracy and the training time.
 *
 *   pnpm --filter @fovea/example-digits-cnn start      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, TensorDataset, crossEntropy, initBackend, loadDigits, randomAffine } from '@fovea/core';
import { Adam, OneCycleLR, Trainer } from '@fovea/optim';
import { digitsCnn } from './model.js';

const SEED = 0; // one seed reproduces the run (init, shuffling, augmentation, dropout)
const EPOCHS = 15; // one-cycle over all steps: the rate ends near zero at the last epoch
const BATCH = 64; // 125 steps per epoch on 8,000 digits
const MAX_LR = 3e-3; // one-cycle peak for Adam
const EPOCHS_ARG = Number(process.env.EPOCHS ?? EPOCHS);

const LABEL_SMOOTHING = 0.05; // a little label smoothing regularises the 8,000-digit training set
const loss = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y, { labelSmoothing: LABEL_SMOOTHING }) as tf.Scalar;
const accuracy = (logits: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`digits CNN — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await loadDigits();
  // augmentation: shifts of up to ±2 px and rotations of up to ±10°, drawn per image from the seeded generator
  const augment = ([x, y]: tf.Tensor[]) => [randomAffine(x!, { degrees: 10, translate: [0.08, 0.08], generator: gen }), y!];
  const loaders = {
    train: new DataLoader(new TensorDataset([train.images, train.labels]), { batchSize: BATCH, shuffle: true, generator: gen, transform: augment }),
    val: new DataLoader(new TensorDataset([val.images, val.labels]), { batchSize: 500 }),
    test: new DataLoader(new TensorDataset([test.images, test.labels]), { batchSize: 500 }),
  };
  const model = digitsCnn(10, gen);
  console.log(`model: ${model.numParameters().toLocaleString('en')} parameters`);
  const optimizer = new Adam(model.parameters(), { lr: MAX_LR });
  const scheduler = new OneCycleLR(optimizer, { maxLr: MAX_LR, totalSteps: EPOCHS_ARG * loaders.train.length });
  const trainer = new Trainer({ model, optimizer, loss, scheduler, metrics: { acc: accuracy }, generators: [gen] });

  const t0 = Date.now();
  const history = await trainer.fit(loaders.train, {
    epochs: EPOCHS_ARG,
    validation: loaders.val,
    // keep the weights of the epoch with the lowest validation loss (1,000 digits: the loss is less noisy than the accuracy)
    earlyStopping: { monitor: 'val_loss', patience: 6, restoreBest: true },
  });
  const seconds = (Date.now() - t0) / 1000;
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch)!;
  console.log(`trained ${history.epochs.length} epochs in ${seconds.toFixed(0)} s (${(seconds / history.epochs.length).toFixed(1)} s per epoch); best epoch ${history.bestEpoch}: val_acc ${(100 * best['val_acc']!).toFixed(2)} %`);

  const res = await trainer.evaluate(loaders.test);
  console.log(`test accuracy ${(100 * res['acc']!).toFixed(2)} % on ${test.labels.shape[0]} test digits (test loss ${res['loss']!.toFixed(4)})`);

  trainer.dispose();
  optimizer.dispose();
  model.dispose();
  tf.dispose([train.images, train.labels, val.images, val.labels, test.images, test.labels]);
}

await main();
