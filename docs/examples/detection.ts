/**
 * The example of the "Detection end to end" guide: seeded synthetic shapes
 * scenes (@fovea/detection) → a Faster R-CNN trained with
 * `lossAndGradients` and Adam (@fovea/optim) → raw detections → non-maximum
 * suppression three ways → COCO evaluation with @fovea/metrics
 * (pycocotools-identical). docs/test/examples.test.ts runs it for a few steps.
 *
 *   npx tsx --tsconfig docs/tsconfig.json docs/examples/detection.ts          (STEPS=… to change the length; default 600)
 */
import { fileURLToPath } from 'node:url';
// #region imports
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
import {
  FasterRCNN,
  SHAPE_CLASSES,
  batchedNms,
  detectionsToArrays,
  disposeDetections,
  lossAndGradients,
  nms,
  shapesScenes,
  shapesToTargets,
  softNms,
  type DetectionArrays,
  type Detections,
  type ShapesScene,
} from '@fovea/detection';
import { MeanAveragePrecision, formatCocoSummary, type CocoEvalResult } from '@fovea/metrics';
import { Adam, CosineAnnealingLR, withWarmup } from '@fovea/optim';
// #endregion imports

/** Settings of {@link run}; the defaults are the guide's full run. */
export interface DetectionOptions {
  /** Optimizer steps, each on `batch` fresh scenes. */
  steps?: number;
  /** Scenes per step. */
  batch?: number;
  /** Held-out scenes for the evaluation. */
  testScenes?: number;
  /** Print the loss every this many steps (0: never). */
  logEvery?: number;
}

/** What {@link run} measured. */
export interface DetectionResult {
  /** Loss of the first and the last step. */
  firstLoss: number;
  lastLoss: number;
  /** Mean milliseconds per training step. */
  msPerStep: number;
  /** Candidates before NMS, and boxes kept by each method, summed over the test scenes. */
  counts: { raw: number; classAware: number; classAgnostic: number; soft: number };
  /** COCO results with class-aware NMS (what `detect` does) and without any NMS. */
  coco: CocoEvalResult;
  cocoWithoutNms: CocoEvalResult;
}

/** Ground-truth boxes of a scene as pixel edges `[x1, y1, x2 + 1, y2 + 1]`, what the detectors train on. */
const gtBoxes = (s: ShapesScene): number[][] => s.objects.map((o) => [o.box[0], o.box[1], o.box[2] + 1, o.box[3] + 1]);

/** COCO box AP of per-scene detections against the scenes' objects. */
async function evaluate(scenes: ShapesScene[], dets: DetectionArrays[]): Promise<CocoEvalResult> {
  // #region coco
  const map = new MeanAveragePrecision({ boxFormat: 'xyxy' }); // torchmetrics' interface, pycocotools' numbers
  await map.update(
    dets.map((d) => ({ boxes: d.boxes, scores: d.scores, labels: d.labels })), // one entry per image
    scenes.map((s) => ({ boxes: gtBoxes(s), labels: s.objects.map((o) => o.label) })),
  );
  const result = map.compute(); // result.stats: the 12 numbers of COCOeval.summarize()
  // #endregion coco
  return result;
}

/** Trains, detects, suppresses and evaluates; returns the numbers. */
export async function run(opts: DetectionOptions = {}): Promise<DetectionResult> {
  const steps = opts.steps ?? 600;
  const batchSize = opts.batch ?? 8;
  const logEvery = opts.logEvery ?? 50;
  await initBackend();

  // #region scenes
  const data = new Generator(1000); // the scenes' own random stream: the same seed gives the same scenes
  const [example] = shapesScenes(1, { size: 64, generator: data });
  example!.objects[0]; // { label: 2, className: 'square', color: 'red', box: [x1, y1, x2, y2], center: [x, y] }
  const batch = shapesToTargets(shapesScenes(batchSize, { size: 64, generator: data }));
  batch.images.shape; // [8, 64, 64, 3], RGB in [0, 1]
  batch.targets[0]!.boxes.shape; // [M, 4]: [x1, y1, x2, y2] pixel edges; labels [M] in 1..3
  batch.dispose();
  // #endregion scenes

  // #region model
  const gen = new Generator(2); // initial weights and the samplers' draws
  const model = new FasterRCNN({
    numClasses: SHAPE_CLASSES.length, // circle, square, triangle: labels 1..3, 0 is the background
    backbone: { widths: [16, 32, 64, 128], stemStride: 2 }, // feature maps at strides 2, 4, 8, 16
    featureLevel: 1, // detect on stride 4 (16 × 16 for 64-pixel images), with strides 8 and 16 merged in by the pyramid
    fpnChannels: 64,
    rpn: { anchorSizes: [12, 20, 32], aspectRatios: [0.5, 1, 2], batchSizePerImage: 128, preNmsTopN: [600, 300], postNmsTopN: [100, 50] },
    roiHeads: { pooler: 'align', poolSize: 7, representationSize: 128, batchSizePerImage: 32, positiveFraction: 0.25 },
    generator: gen,
  });
  // #endregion model

  // #region train
  const optimizer = new Adam(model.trainableParameters(), { lr: 2e-3 });
  const warmup = Math.min(50, Math.max(1, steps - 1));
  const scheduler = withWarmup(new CosineAnnealingLR(optimizer, { tMax: Math.max(1, steps - warmup) }), { warmupSteps: warmup });
  const losses: number[] = [];
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) {
    const b = shapesToTargets(shapesScenes(batchSize, { size: 64, generator: data })); // fresh scenes every step
    // matching (async: it reads values back) then the differentiable losses and their gradients
    const { loss, losses: terms, grads } = await lossAndGradients(model, b.images, b.targets);
    optimizer.step(grads);
    scheduler.step();
    tf.dispose(grads);
    b.dispose();
    losses.push(loss);
    if (logEvery && (step % logEvery === 0 || step === steps - 1)) {
      const parts = Object.entries(terms).map(([k, v]) => `${k} ${v.toFixed(3)}`); // the RPN's two losses and the box head's two
      console.log(`step ${step}: loss ${loss.toFixed(3)} (${parts.join(', ')})`);
    }
  }
  const msPerStep = (performance.now() - t0) / Math.max(1, steps);
  // #endregion train

  // #region detect
  model.eval();
  const test = shapesScenes(opts.testScenes ?? 100, { size: 64, generator: new Generator(2024) }); // held out
  const images = shapesToTargets(test);
  // nmsThreshold 1 switches the final suppression off (no IoU exceeds 1): every scored box above the threshold
  const raw = await model.detect(images.images, { scoreThreshold: 0.05, nmsThreshold: 1, maxDetections: 1000 });
  images.dispose();
  // #endregion detect

  // #region nms
  const counts = { raw: 0, classAware: 0, classAgnostic: 0, soft: 0 };
  const suppressed: DetectionArrays[] = [];
  for (const d of raw) {
    // class-aware (torchvision's batched_nms): a circle never suppresses a square; this is what detect() does
    const keep = await batchedNms(d.boxes, d.scores, d.labels, 0.5, { topK: 100 });
    // class-agnostic greedy NMS (torchvision's nms), and Soft-NMS, which decays overlapping scores instead
    const keepAny = await nms(d.boxes, d.scores, 0.5);
    const soft = await softNms(d.boxes, d.scores, { sigma: 0.5, scoreThreshold: 0.05 });
    const kept: Detections = {
      boxes: tf.gather(d.boxes, keep) as tf.Tensor2D,
      scores: tf.gather(d.scores, keep) as tf.Tensor1D,
      labels: tf.gather(d.labels, keep) as tf.Tensor1D,
    };
    suppressed.push(await detectionsToArrays(kept)); // plain arrays: { boxes: number[][], scores, labels }
    counts.raw += d.scores.shape[0];
    counts.classAware += keep.shape[0]!;
    counts.classAgnostic += keepAny.shape[0]!;
    counts.soft += soft.keep.shape[0]!;
    tf.dispose([keep, keepAny, soft.keep, soft.scores]);
    disposeDetections(kept);
  }
  // #endregion nms
  const rawArrays = await Promise.all(raw.map((d) => detectionsToArrays(d)));
  disposeDetections(raw);

  const coco = await evaluate(test, suppressed);
  const cocoWithoutNms = await evaluate(test, rawArrays);
  optimizer.dispose();
  model.dispose();
  return { firstLoss: losses[0] ?? NaN, lastLoss: losses.at(-1) ?? NaN, msPerStep, counts, coco, cocoWithoutNms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await run({ steps: Number(process.env.STEPS ?? 600) });
  console.log(`${r.msPerStep.toFixed(0)} ms per step; loss ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)}`);
  console.log(`candidates ${r.counts.raw}; kept: class-aware NMS ${r.counts.classAware}, class-agnostic ${r.counts.classAgnostic}, Soft-NMS ${r.counts.soft}`);
  console.log(`with class-aware NMS:\n${formatCocoSummary(r.coco)}`);
  console.log(`without NMS: AP ${r.cocoWithoutNms.stats[0]!.toFixed(3)}, AP50 ${r.cocoWithoutNms.stats[1]!.toFixed(3)}`);
}
