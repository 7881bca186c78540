/**
 * PointNet on procedural shapes: five classes (sphere, cube, torus, cylinder,
 * cone) sampled as noisy, randomly posed point clouds; a PointNet classifier
 * (shared MLP + max pool + MLP head, with a small input T-Net) trained with
 * @fovea/optim's Trainer (Adam, cosine schedule, early stopping on a
 * validation set); accuracy on a held-out test set and a per-class
 * confusion matrix. Writes examples/geometry3d/out/pointnet-samples.png
 * (one test cloud per class).
 *
 *   pnpm --filter @fovea/example-geometry3d pointnet      (after `pnpm build`)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, TensorDataset, crossEntropy, initBackend } from '@fovea/core';
import { PointNet } from '@fovea/geometry3d';
import { Adam, CosineAnnealingLR, Trainer } from '@fovea/optim';
import { blank, camera, drawPoints, row, savePng } from './render.js';
import { CLASSES, makeSet } from './shapes.js';

const SEED = 0; // data, init, shuffling and dropout all come from this seed
const POINTS = 128; // points per cloud: enough to tell the shapes apart, fast on wasm
const TRAIN_PER_CLASS = 200; // 1,000 training clouds
const VAL_PER_CLASS = 40; // 200 validation clouds (early stopping)
const TEST_PER_CLASS = 100; // 500 test clouds, reported once
const EPOCHS = 25; // upper bound; early stopping usually ends sooner
const BATCH = 32;
const LR = 2e-3; // Adam's peak rate, cosine-annealed

const loss = (logits: tf.Tensor, y: tf.Tensor): tf.Scalar => crossEntropy(logits, y) as tf.Scalar;
const accuracy = (logits: tf.Tensor, y: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

function tensors(set: { x: Float32Array; y: Int32Array }): [tf.Tensor, tf.Tensor] {
  return [tf.tensor3d(set.x, [set.y.length, POINTS, 3]), tf.tensor1d(set.y, 'int32')];
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`PointNet on ${CLASSES.join(', ')} — ${info.summary}`);
  const g = new Generator(SEED);
  const t0 = Date.now();
  const [trainX, trainY] = tensors(makeSet(TRAIN_PER_CLASS, POINTS, g));
  const [valX, valY] = tensors(makeSet(VAL_PER_CLASS, POINTS, g));
  const [testX, testY] = tensors(makeSet(TEST_PER_CLASS, POINTS, g));
  console.log(`data: ${trainY.shape[0]} train / ${valY.shape[0]} val / ${testY.shape[0]} test clouds of ${POINTS} points (${((Date.now() - t0) / 1000).toFixed(1)}s)`);

  const model = new PointNet(CLASSES.length, {
    mlp: [32, 64, 128], // the paper's 64-64-64-128-1024, slimmed for 128-point clouds and a 2-core CPU
    head: [64],
    dropout: 0.3,
    inputTransform: { mlp: [32, 64], head: [32, 16] }, // a small T-Net to undo the random pose
    generator: g,
  });
  const train = new DataLoader(new TensorDataset([trainX, trainY]), { batchSize: BATCH, shuffle: true, generator: g });
  const val = new DataLoader(new TensorDataset([valX, valY]), { batchSize: 100 });
  const test = new DataLoader(new TensorDataset([testX, testY]), { batchSize: 100 });
  const optimizer = new Adam(model.parameters(), { lr: LR });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: EPOCHS * train.length });
  const trainer = new Trainer({ model, optimizer, loss, scheduler, metrics: { acc: accuracy }, generators: [g] });
  const history = await trainer.fit(train, { epochs: EPOCHS, validation: val, earlyStopping: { monitor: 'val_acc', mode: 'max', patience: 6 } });
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch)!;
  console.log(`best epoch ${history.bestEpoch}: val_acc ${(100 * best['val_acc']!).toFixed(1)} %`);

  const res = await trainer.evaluate(test);
  console.log(`test accuracy ${(100 * res['acc']!).toFixed(2)} % on ${testY.shape[0]} test clouds`);

  // confusion matrix (rows: true class, columns: predicted)
  model.eval();
  const pred = tf.tidy(() => tf.argMax(model.forward(testX), -1));
  const p = await pred.data();
  const t = await testY.data();
  const cm = CLASSES.map(() => CLASSES.map(() => 0));
  p.forEach((v, i) => (cm[t[i]!]![v]! += 1));
  console.log(`confusion (rows true, columns predicted: ${CLASSES.join(', ')})`);
  cm.forEach((r, i) => console.log(`  ${CLASSES[i]!.padEnd(9)} ${r.map((v) => String(v).padStart(4)).join('')}`));

  const out = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const cam = camera([1.6, 1.2, -2.4], 160);
  const panels = [];
  const xs = (await testX.data()) as Float32Array;
  for (let c = 0; c < CLASSES.length; c++) {
    const img = blank(160, 160);
    await drawPoints(img, cam, xs.subarray(c * POINTS * 3, (c + 1) * POINTS * 3), [40, 90, 170], 2);
    panels.push(img);
  }
  await savePng(`${out}pointnet-samples.png`, row(panels));
  console.log(`wrote ${out}pointnet-samples.png (one test cloud per class: ${CLASSES.join(', ')})`);

  trainer.dispose();
  optimizer.dispose();
  model.dispose();
  tf.dispose([trainX, trainY, valX, valY, testX, testY, pred]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
