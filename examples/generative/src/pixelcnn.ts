/**
 * PixelCNN on the binarized digits: masked convolutions (7×7 type A, residual
 * blocks with 3×3 type B), exact log-likelihood trained with Adam; reports
 * the test bits/dim (and nats/image), draws samples pixel by pixel, inpaints
 * the bottom half of test digits, and scores outliers by bits/dim (AUROC
 * against noise, shifted and inverted digits). Writes PNG grids.
 *
 *   pnpm --filter @fovea/example-generative pixelcnn      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
import { PixelCNN, bitsPerDim, inpaint, outlierAuroc, sampleAutoregressive } from '@fovea/generative';
import { Adam, CosineAnnealingLR, StepProgress } from '@fovea/optim';
import { batches, digits, mean, outliers, perItem, take } from './data.js';
import { grid, savePng } from './png.js';
import { elapsed } from './timing.js';

const SEED = 0;
const EPOCHS = Number(process.env.EPOCHS ?? 3);
const BATCH = 64;
const HIDDEN = 32; // feature channels
const BLOCKS = 5; // residual blocks: ~18 MMAC per image
const LR = 3e-3; // cosine-annealed to 0 over the run
const OUT = new URL('../out/pixelcnn/', import.meta.url).pathname;

/** Per-image bits/dim of `images` under the model, in batches. */
async function bpd(model: PixelCNN, images: tf.Tensor): Promise<Float32Array> {
  return perItem(images.shape[0]!, 200, (idx) => {
    const x = take(images, idx);
    return bitsPerDim(model.forward(x), tf.cast(x, 'int32'), { reduction: 'none' }).bitsPerDim;
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`PixelCNN on the binarized digits — ${info.summary}`);
  const gen = new Generator(SEED);
  const { train, val, test } = await digits(true);
  tf.dispose([val.images, val.labels, train.labels]);

  const model = new PixelCNN({ levels: 2, hiddenChannels: HIDDEN, numLayers: BLOCKS, kernelSize: 7, generator: gen });
  console.log(`PixelCNN: 7×7 type-A masked conv, ${BLOCKS} residual blocks of ${HIDDEN} channels, ${model.numParameters().toLocaleString('en')} parameters`);
  const n = train.images.shape[0]!;
  const steps = EPOCHS * Math.ceil(n / BATCH);
  const opt = new Adam(model.parameters(), { lr: LR });
  const sched = new CosineAnnealingLR(opt, { tMax: steps });
  const bar = new StepProgress('PixelCNN', steps);
  for (let e = 0; e < EPOCHS; e++) {
    let sum = 0;
    for (const idx of batches(n, BATCH, gen)) {
      const x = take(train.images, idx);
      const xi = tf.cast(x, 'int32');
      const loss = opt.minimize(() => bitsPerDim(model.forward(x), xi).bitsPerDim as tf.Scalar, true)!;
      const v = (await loss.data())[0]!;
      sum += v * idx.length;
      sched.step();
      tf.dispose([x, xi, loss]);
      bar.tick(1, `epoch ${e + 1}/${EPOCHS} ${v.toFixed(4)} bits/dim`);
    }
    if (!process.stdout.isTTY) console.log(`  epoch ${e + 1}: train ${(sum / n).toFixed(4)} bits/dim`);
  }
  bar.finish(`${EPOCHS} epochs`);
  opt.dispose();
  model.eval();

  const testBpd = await bpd(model, test.images);
  const m = mean(testBpd);
  console.log(`test: ${m.toFixed(4)} bits/dim = ${(m * 784 * Math.LN2).toFixed(2)} nats/image (exact log-likelihood, 1,000 binarized test digits)`);

  const odd = outliers(test.images, gen);
  const aurocs: string[] = [];
  for (const [name, x] of Object.entries(odd)) {
    const s = await bpd(model, x);
    aurocs.push(`${name} ${(await outlierAuroc(testBpd, s)).toFixed(4)} (${mean(s).toFixed(3)} bits/dim)`);
  }
  console.log(`outlier AUROC by bits/dim vs the test digits: ${aurocs.join(', ')}`);

  const sbar = new StepProgress('sampling 16 digits', 784);
  const samples = await sampleAutoregressive(model, [16, 28, 28, 1], { generator: gen, onStep: () => sbar.tick() });
  sbar.finish('done');
  await savePng(`${OUT}samples.png`, grid(await samples.data(), 16, 28, 28, { cols: 8, scale: 3 }));

  // inpainting: the bottom half of 8 test digits is hidden and completed twice
  const idx = Array.from({ length: 8 }, (_, i) => 3 + i * 11);
  const x = take(test.images, idx);
  const mask = tf.tidy(() => tf.concat([tf.zeros([8, 14, 28, 1]), tf.ones([8, 14, 28, 1])], 1));
  const hidden = tf.tidy(() => tf.add(tf.mul(x, tf.sub(1, mask)), tf.mul(mask, 0.25))); // shown grey where hidden
  const ibar = new StepProgress('inpainting 2 × 8 digits', 2 * 392);
  const a = await inpaint(model, x, mask, { generator: gen, onStep: () => ibar.tick() });
  const b = await inpaint(model, x, mask, { generator: gen, onStep: () => ibar.tick() });
  ibar.finish('done');
  const rows = tf.concat([x, hidden, a, b], 0);
  await savePng(`${OUT}inpainting.png`, grid(await rows.data(), 32, 28, 28, { cols: 8, scale: 3 }));
  console.log(`wrote ${OUT}samples.png and ${OUT}inpainting.png (rows: original, bottom half hidden, two completions)`);
  console.log(elapsed(t0));
  tf.dispose([samples, x, mask, hidden, a, b, rows, train.images, test.images, test.labels, ...Object.values(odd)]);
  model.dispose();
}

await main();
