/**
 * A small Vision Transformer on the mnist package's digits (canonical split):
 * 28×28 images cut into 7×7 patches (16 tokens + a class token), a pre-norm
 * encoder, AdamW with a warmup + cosine schedule, label smoothing, and random
 * rotations/shifts/scalings as augmentation. Early stopping on the 1,000
 * validation digits keeps the best epoch; the 1,000 test digits are scored
 * once. Writes `out/vit-attention.png`: test digits with the class token's
 * attention rollout over the patches.
 *
 *   pnpm --filter @fovea/example-attention vit      (after `pnpm build`)
 *   EPOCHS=2 pnpm --filter @fovea/example-attention vit   (a quick run)
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, TensorDataset, crossEntropy, initBackend, loadDigits, randomAffine } from '@fovea/core';
import { AdamW, CosineAnnealingLR, Trainer, withWarmup } from '@fovea/optim';
import { VisionTransformer, attentionRollout } from '@fovea/attention';
import { canvas, drawGrey, drawOverlay, savePng } from './png.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const SEED = env('SEED', 0); // one seed reproduces the run (init, shuffling, augmentation)
const EPOCHS = env('EPOCHS', 24); // cosine schedule over all epochs; early stopping keeps the best
const BATCH = env('BATCH', 64); // 125 steps per epoch on 8,000 digits
const LR = env('LR', 2e-3); // AdamW peak
const WD = env('WD', 0.05); // decoupled weight decay (ViT papers use 0.05–0.3)
const WARMUP = env('WARMUP', 2); // epochs of linear warmup: attention needs it
const PATCH = env('PATCH', 7); // 7×7 patches → a 4×4 grid
const DIM = env('DIM', 64); // token width E
const DEPTH = env('DEPTH', 6); // encoder blocks
const HEADS = env('HEADS', 4); // nh, head size 16
const MLP = env('MLP', 128); // MLP width (2·E)
const SMOOTH = env('SMOOTH', 0.1); // label smoothing
const POS = (process.env['POS'] ?? 'normal') as 'normal' | 'sincos2d'; // initial position embedding

const accuracy = (logits: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

/** Test digits with the class token's attention rollout: `out/vit-attention.png`. */
async function attentionPicture(vit: VisionTransformer, images: tf.Tensor4D, labels: tf.Tensor1D, path: string): Promise<void> {
  const n = 8;
  const grid = 28 / PATCH;
  const x = tf.slice(images, [0, 0, 0, 0], [n, 28, 28, 1]);
  const { logits, attention } = vit.forwardWithAttention(x);
  const rollout = attentionRollout(attention); // [n, S, S]
  const cls = tf.tidy(() => tf.slice(rollout, [0, 0, 1], [n, 1, grid * grid])); // [n, 1, N]: class token row
  const [img, map, pred, lab] = await Promise.all([x.data(), cls.data(), tf.argMax(logits, -1).data(), tf.slice(labels, [0], [n]).data()]);
  const s = 4;
  const c = canvas(n * (28 * s + 8) + 8, 2 * (28 * s + 8) + 8);
  for (let i = 0; i < n; i++) {
    const dx = 8 + i * (28 * s + 8);
    drawGrey(c, img.subarray(i * 784, (i + 1) * 784), 28, 28, dx, 8, s);
    drawOverlay(c, img.subarray(i * 784, (i + 1) * 784), 28, 28, map.subarray(i * grid * grid, (i + 1) * grid * grid), grid, grid, dx, 16 + 28 * s, s);
  }
  await savePng(path, c);
  console.log(`attention maps of ${n} test digits (labels ${Array.from(lab).join(' ')}, predicted ${Array.from(pred).join(' ')}) → ${path}`);
  tf.dispose([x, logits, ...attention, rollout, cls]);
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`ViT on the digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await loadDigits();
  const augment = ([x, y]: tf.Tensor[]) => [randomAffine(x!, { degrees: 12, translate: [0.1, 0.1], scale: [0.9, 1.1], generator: gen }), y!];
  const loaders = {
    train: new DataLoader(new TensorDataset([train.images, train.labels]), { batchSize: BATCH, shuffle: true, generator: gen, transform: augment }),
    val: new DataLoader(new TensorDataset([val.images, val.labels]), { batchSize: 500 }),
    test: new DataLoader(new TensorDataset([test.images, test.labels]), { batchSize: 500 }),
  };
  const vit = new VisionTransformer({ imageSize: 28, patchSize: PATCH, inChannels: 1, numClasses: 10, numLayers: DEPTH, numHeads: HEADS, hiddenDim: DIM, mlpDim: MLP, positionEmbeddingInit: POS, generator: gen });
  console.log(`model: patch ${PATCH}, ${vit.seqLength} tokens, ${POS} position init, width ${DIM}, ${DEPTH} blocks × ${HEADS} heads, MLP ${MLP}: ${vit.numParameters().toLocaleString('en')} parameters`);
  // weight decay on the weight matrices only (not biases, norms, class token or position embedding)
  const named = vit.namedParameters();
  const decay = named.filter(([n, p]) => p.rank >= 2 && !n.includes('pos_embedding') && n !== 'class_token').map(([, p]) => p);
  const noDecay = named.filter(([, p]) => !decay.includes(p)).map(([, p]) => p);
  const optimizer = new AdamW([{ params: decay, weightDecay: WD }, { params: noDecay, weightDecay: 0 }], { lr: LR });
  const steps = EPOCHS * loaders.train.length;
  const warm = Math.min(WARMUP * loaders.train.length, steps - 1);
  const scheduler = withWarmup(new CosineAnnealingLR(optimizer, { tMax: steps - warm }), { warmupSteps: warm });
  const loss = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y, { labelSmoothing: SMOOTH }) as tf.Scalar;
  const trainer = new Trainer({ model: vit, optimizer, loss, scheduler, metrics: { acc: accuracy }, generators: [gen], clipGradNorm: 1 });

  const t0 = Date.now();
  const history = await trainer.fit(loaders.train, { epochs: EPOCHS, validation: loaders.val, earlyStopping: { monitor: 'val_acc', patience: EPOCHS, restoreBest: true } });
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  console.log(`process CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s (wall ${seconds.toFixed(0)} s: the rest is waiting for a shared CPU)`);
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch)!;
  console.log(`trained ${history.epochs.length} epochs in ${seconds.toFixed(0)} s (${(seconds / history.epochs.length).toFixed(1)} s per epoch); best epoch ${history.bestEpoch}: val_acc ${(100 * best['val_acc']!).toFixed(2)} %`);

  const res = await trainer.evaluate(loaders.test);
  console.log(`test accuracy ${(100 * res['acc']!).toFixed(2)} % on ${test.labels.shape[0]} test digits (test loss ${res['loss']!.toFixed(4)})`);
  vit.eval();
  await attentionPicture(vit, test.images, test.labels, 'out/vit-attention.png');

  trainer.dispose();
  optimizer.dispose();
  vit.dispose();
  tf.dispose([train.images, train.labels, val.images, val.labels, test.images, test.labels]);
}

await main();
