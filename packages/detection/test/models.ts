/** Helpers for the detector tests (not part of the package). */
import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { Adam } from '@fovea/optim';
import { shapesScenes, shapesToTargets, type ShapesTrainingBatch } from '../src/index.js';
import { lossAndGradients } from '../src/models/loss-and-gradients.js';
import type { Detections, TrainableDetector } from '../src/models/types.js';

/** `n` small scenes (32 px, 1–2 objects of 8–14 px) as a training batch. */
export function tinyBatch(n: number, seed: number, masks = false): ShapesTrainingBatch {
  return shapesToTargets(shapesScenes(n, { size: 32, minObjects: 1, maxObjects: 2, minSize: 8, maxSize: 14, generator: new Generator(seed) }), { masks });
}

/** A small backbone for tests: maps at strides 2, 4, 8. */
export const TINY_BACKBONE = { widths: [8, 16, 16], stemStride: 2 } as const;

/** Trains `steps` Adam steps on one batch; returns the total loss and the loss terms of every step. */
export async function overfit(model: TrainableDetector, batch: ShapesTrainingBatch, steps: number, lr: number): Promise<{ history: number[]; terms: Record<string, number>[] }> {
  const optimizer = new Adam(model.trainableParameters(), { lr });
  const history: number[] = [];
  const terms: Record<string, number>[] = [];
  model.train();
  for (let s = 0; s < steps; s++) {
    const r = await lossAndGradients(model, batch.images, batch.targets);
    optimizer.step(r.grads);
    tf.dispose(r.grads);
    history.push(r.loss);
    terms.push(r.losses);
  }
  optimizer.dispose();
  return { history, terms };
}

/** The mean of some numbers. */
export function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Reads detections back as arrays. */
export async function readDetections(d: Detections): Promise<{ boxes: number[]; scores: number[]; labels: number[]; masks?: number[] }> {
  return {
    boxes: Array.from(await d.boxes.data()),
    scores: Array.from(await d.scores.data()),
    labels: Array.from(await d.labels.data()),
    ...(d.masks ? { masks: Array.from(await d.masks.data()) } : {}),
  };
}

/** Checks the contract of one image's detections: shapes, dtypes, ranges, order. */
export async function expectValidDetections(d: Detections, k: number, size: number, maxDetections: number, scoreThreshold: number): Promise<void> {
  const n = d.scores.shape[0];
  if (d.boxes.shape.join() !== `${n},4` || d.labels.shape.join() !== `${n}` || d.boxes.dtype !== 'float32' || d.scores.dtype !== 'float32' || d.labels.dtype !== 'int32') {
    throw new Error(`bad detections: boxes ${d.boxes.shape} ${d.boxes.dtype}, scores ${d.scores.shape} ${d.scores.dtype}, labels ${d.labels.shape} ${d.labels.dtype}`);
  }
  if (n > maxDetections) throw new Error(`${n} detections > ${maxDetections}`);
  const r = await readDetections(d);
  r.labels.forEach((l) => { if (!(l >= 1 && l <= k)) throw new Error(`label ${l} outside 1..${k}`); });
  r.scores.forEach((s, i) => {
    if (!(s > scoreThreshold && s <= 1)) throw new Error(`score ${s} not in (${scoreThreshold}, 1]`);
    if (i > 0 && s > r.scores[i - 1]! + 1e-6) throw new Error('scores not in decreasing order');
  });
  for (let i = 0; i < n; i++) {
    const [x1, y1, x2, y2] = r.boxes.slice(4 * i, 4 * i + 4) as [number, number, number, number];
    if (!(x1 >= 0 && y1 >= 0 && x2 <= size && y2 <= size && x1 <= x2 && y1 <= y2)) throw new Error(`box ${[x1, y1, x2, y2]} outside the ${size} px image`);
  }
  if (d.masks && d.masks.shape.join() !== `${n},${size},${size}`) throw new Error(`masks ${d.masks.shape}`);
}
