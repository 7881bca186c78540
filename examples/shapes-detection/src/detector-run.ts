/**
 * The run every detector script shares: train with `lossAndGradients` and
 * Adam (warm-up, cosine decay), checkpoints and resume, save the weights,
 * reload them into a fresh model, evaluate the reloaded model on the
 * held-out scenes (COCO box AP; mask IoU when it makes masks), write a PNG.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend, loadModule, saveModule } from '@fovea/core';
import { lossAndGradients, type TrainableDetector } from '@fovea/detection';
import { Adam, CosineAnnealingLR, withWarmup } from '@fovea/optim';
import { OUT, SIZE, envInt, report, testScenes, train, trainingBatch } from './common.js';
import { apLine, cocoBoxAp, detectAll, detectionPng, maskIouOfMatches, type Detector } from './eval.js';

/** A detector script's settings. */
export interface DetectorRun<M extends TrainableDetector & Detector> {
  /** File and log name, e.g. `faster-rcnn`. */
  name: string;
  /** Title for logs and the PNG. */
  title: string;
  /** Builds the model (with `gen` for training, without for reloading). */
  build: (gen?: Generator) => M;
  /** Seed of the run (init and sampling; the data stream uses `seed + 1000`). */
  seed: number;
  /** Default steps (`STEPS` overrides). */
  steps: number;
  /** Default scenes per step (`BATCH` overrides). */
  batch: number;
  /** Adam's peak learning rate. */
  lr: number;
  /** Linear warm-up steps. */
  warmup: number;
  /** Whether targets carry masks (Mask R-CNN). */
  masks?: boolean;
  /** Which COCO AP@0.5 the issue asks for, if any. */
  bar?: number;
}

/** What a detector run measured. */
export interface DetectorResult {
  ap: number;
  ap50: number;
  seconds: number;
}

/** Trains, saves, reloads and evaluates one detector; prints and returns the numbers. */
export async function runDetector<M extends TrainableDetector & Detector>(run: DetectorRun<M>): Promise<DetectorResult> {
  const info = await initBackend();
  const lines: string[] = [];
  const steps = envInt('STEPS', run.steps);
  const batchSize = envInt('BATCH', run.batch);
  report(lines, `${run.title} on ${SIZE}×${SIZE} shapes scenes — ${info.summary}`);
  const gen = new Generator(run.seed);
  const data = new Generator(run.seed + 1000);
  const model = run.build(gen);
  report(lines, `model: ${model.numParameters().toLocaleString('en')} parameters; ${steps} steps of ${batchSize} fresh scenes, Adam ${run.lr} with ${run.warmup} warm-up steps and cosine decay`);
  const optimizer = new Adam(model.trainableParameters(), { lr: run.lr });
  const scheduler = withWarmup(new CosineAnnealingLR(optimizer, { tMax: Math.max(1, steps - run.warmup) }), { warmupSteps: run.warmup });
  const { seconds } = await train({
    name: run.name,
    model,
    optimizer,
    scheduler,
    generators: [gen, data],
    steps,
    step: async () => {
      const batch = trainingBatch(data, batchSize, run.masks ?? false);
      try {
        const r = await lossAndGradients(model, batch.images, batch.targets);
        optimizer.step(r.grads);
        tf.dispose(r.grads);
        return r;
      } finally {
        batch.dispose();
      }
    },
  });
  report(lines, `trained ${steps} steps in ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min, ${((1000 * seconds) / Math.max(steps, 1)).toFixed(0)} ms per step)`);

  // save, reload into a fresh model, evaluate the reloaded one
  const path = resolve(OUT, `${run.name}.safetensors`);
  await saveModule(model, path);
  const reloaded = run.build();
  await loadModule(reloaded, path);
  reloaded.eval();
  const scenes = testScenes();
  const { dets, seconds: inferSec } = await detectAll(reloaded, scenes, { scoreThreshold: 0.05 });
  report(lines, `held-out: ${scenes.length} scenes, ${dets.reduce((s, d) => s + d.scores.length, 0)} detections (score > 0.05) in ${inferSec.toFixed(1)} s, weights reloaded from ${path}`);
  const r = await cocoBoxAp(scenes, dets);
  report(lines, apLine(run.title, r));
  if (run.bar !== undefined) report(lines, `bar AP@0.5 ≥ ${run.bar.toFixed(2)}: ${r.stats[1]! >= run.bar ? 'met' : 'NOT met'}`);
  if (run.masks) {
    const m = maskIouOfMatches(scenes, dets);
    report(lines, `mask IoU on matched instances (score ≥ 0.5, box IoU ≥ 0.5, same class): mean ${m.meanIou.toFixed(4)} over ${m.matched} of ${m.total} objects`);
  }
  detectionPng(resolve(OUT, `${run.name}.png`), scenes.slice(0, 6), dets.slice(0, 6), run.title.toLowerCase());
  writeFileSync(resolve(OUT, `${run.name}.txt`), `${lines.join('\n')}\n`);
  console.log(`wrote ${resolve(OUT, `${run.name}.png`)}, ${path} and ${resolve(OUT, `${run.name}.txt`)}`);
  optimizer.dispose();
  model.dispose();
  reloaded.dispose();
  return { ap: r.stats[0]!, ap50: r.stats[1]!, seconds };
}
