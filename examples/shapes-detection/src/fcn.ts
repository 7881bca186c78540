/**
 * Semantic segmentation of the shapes scenes with an FCN (@fovea/detection):
 * a small residual encoder down to stride 8, learnable transposed-convolution
 * upsampling back to full resolution with skip connections, per-pixel
 * cross-entropy, Adam with a one-cycle schedule; fresh scenes every step.
 * Prints the mean IoU (@fovea/metrics) on 300 held-out scenes and writes
 * `out/fcn.png` (image | ground truth | prediction) and `out/fcn.safetensors`.
 *
 *   pnpm --filter @fovea/example-shapes-detection fcn      (after `pnpm build`)
 *   STEPS=… BATCH=… FRESH=1 (ignore the checkpoint) TEST_SCENES=…
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend, saveModule } from '@fovea/core';
import { FCN, SHAPE_CLASSES, STUFF_CLASSES, shapesToTargets } from '@fovea/detection';
import { FCN_OPTIONS } from './configs.js';
import { MeanIoU } from '@fovea/metrics';
import { Adam, OneCycleLR } from '@fovea/optim';
import { OUT, SIZE, envInt, report, testScenes, train, trainingBatch } from './common.js';
import { CLASS_COLORS, grid, labelImage, savePng, sceneImage } from './png.js';

const SEED = 1; // one seed reproduces the run (init and data)
const STEPS = envInt('STEPS', 1000);
const BATCH = envInt('BATCH', 12); // scenes per step
const MAX_LR = 4e-3; // one-cycle peak for Adam
const NUM_CLASSES = FCN_OPTIONS.numClasses;

async function main(): Promise<void> {
  const info = await initBackend();
  const lines: string[] = [];
  report(lines, `FCN semantic segmentation on ${SIZE}×${SIZE} shapes scenes — ${info.summary}`);
  const gen = new Generator(SEED);
  const model = new FCN({ ...FCN_OPTIONS, generator: gen });
  report(lines, `model: ${model.numParameters().toLocaleString('en')} parameters; ${STEPS} steps of ${BATCH} fresh scenes`);
  const optimizer = new Adam(model.trainableParameters(), { lr: MAX_LR });
  const scheduler = new OneCycleLR(optimizer, { maxLr: MAX_LR, totalSteps: STEPS + 1 });
  const { seconds } = await train({
    name: 'fcn',
    model,
    optimizer,
    scheduler,
    generators: [gen],
    steps: STEPS,
    step: async () => {
      const batch = trainingBatch(gen, BATCH);
      try {
        const { value, grads } = tf.variableGrads(() => model.loss(model.forward(batch.images), batch.semantic), model.trainableParameters());
        optimizer.step(grads);
        const loss = (await value.data())[0]!;
        tf.dispose([value, ...Object.values(grads)]);
        return { loss, losses: {} };
      } finally {
        batch.dispose();
      }
    },
  });
  report(lines, `trained ${STEPS} steps in ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min, ${((1000 * seconds) / STEPS).toFixed(0)} ms per step)`);
  await saveModule(model, resolve(OUT, 'fcn.safetensors'));

  // evaluation on the held-out scenes
  const scenes = testScenes();
  const miou = new MeanIoU({ numClasses: NUM_CLASSES });
  const preds: Int32Array[] = [];
  const t0 = performance.now();
  for (let i = 0; i < scenes.length; i += 50) {
    const batch = shapesToTargets(scenes.slice(i, i + 50));
    const labels = model.segment(batch.images);
    await miou.update(labels, batch.semantic);
    const data = (await labels.data()) as Int32Array;
    for (let j = 0; j < labels.shape[0]; j++) preds.push(data.slice(j * SIZE * SIZE, (j + 1) * SIZE * SIZE));
    labels.dispose();
    batch.dispose();
  }
  const r = miou.compute();
  const names = ['unlabeled', ...SHAPE_CLASSES, ...STUFF_CLASSES];
  report(lines, `held-out: ${scenes.length} scenes segmented in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  report(lines, `per-class IoU: ${r.iou.map((v, k) => (Number.isNaN(v) ? null : `${names[k]} ${v.toFixed(3)}`)).filter(Boolean).join(', ')}`);
  report(lines, `FCN mIoU ${r.miou.toFixed(4)} (pixel accuracy ${r.accuracy.toFixed(4)}) — bar 0.85: ${r.miou >= 0.85 ? 'met' : 'NOT met'}`);

  const S = 3;
  const rows = scenes.slice(0, 6).map((s, i) => [
    sceneImage(s, S),
    labelImage(s.semantic, SIZE, SIZE, S, (v) => CLASS_COLORS[v]!),
    labelImage(preds[i]!, SIZE, SIZE, S, (v) => CLASS_COLORS[v]!),
  ]);
  savePng(resolve(OUT, 'fcn.png'), grid(rows, ['image', 'ground truth', 'fcn']));
  writeFileSync(resolve(OUT, 'fcn.txt'), `${lines.join('\n')}\n`);
  console.log(`wrote ${resolve(OUT, 'fcn.png')}, ${resolve(OUT, 'fcn.safetensors')} and ${resolve(OUT, 'fcn.txt')}`);
  optimizer.dispose();
  model.dispose();
}

await main();
