/** Input checks shared by the detectors (private). */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, formatShape } from '@fovea/core';
import type { DetectOptions, DetectorTarget } from '../types.js';

/** Checks `[N, H, W, C]` float32 images with `C` channels; returns `[N, H, W]`. */
export function checkImages(op: string, images: unknown, channels: number): [number, number, number] {
  checkTensor(op, 'images', images, { shape: ['N', 'H', 'W', channels], dtype: 'float32' });
  const [n, h, w] = (images as tf.Tensor).shape as [number, number, number, number];
  if (h < 1 || w < 1) throw new FoveaError({ op, arg: 'images', expected: 'a non-empty image size', got: `shape ${formatShape((images as tf.Tensor).shape)}` });
  return [n, h, w];
}

/** Checks one target per image: `[M, 4]` float32 boxes, `[M]` int32 labels, and (if `masks`) `[M, H, W]` masks. */
export function checkTargets(op: string, targets: unknown, n: number, size: readonly [number, number], masks = false): DetectorTarget[] {
  if (!Array.isArray(targets) || targets.length !== n) {
    throw new FoveaError({ op, arg: 'targets', expected: `an array of ${n} targets (one per image)`, got: Array.isArray(targets) ? `${targets.length} targets` : typeof targets });
  }
  targets.forEach((t: DetectorTarget, i) => {
    if (t === null || typeof t !== 'object') throw new FoveaError({ op, arg: `targets[${i}]`, expected: 'an object {boxes, labels}', got: String(t) });
    const dims = {};
    checkTensor(op, `targets[${i}].boxes`, t.boxes, { shape: ['M', 4], dtype: 'float32' }, dims);
    checkTensor(op, `targets[${i}].labels`, t.labels, { shape: ['M'], dtype: 'int32' }, dims);
    if (masks) checkTensor(op, `targets[${i}].masks`, t.masks, { shape: ['M', size[0], size[1]], dtype: 'float32' }, dims);
  });
  return targets as DetectorTarget[];
}

/** Resolved {@link DetectOptions}: every field set. */
export type ResolvedDetect = Required<DetectOptions>;

/** Validates `detect` options over the model's defaults. */
export function resolveDetect(op: string, opts: DetectOptions, defaults: ResolvedDetect): ResolvedDetect {
  return {
    scoreThreshold: checkNumber(op, 'options.scoreThreshold', opts.scoreThreshold ?? defaults.scoreThreshold),
    nmsThreshold: checkNumber(op, 'options.nmsThreshold', opts.nmsThreshold ?? defaults.nmsThreshold, { min: 0, max: 1 }),
    maxDetections: checkNumber(op, 'options.maxDetections', opts.maxDetections ?? defaults.maxDetections, { integer: true, min: 0 }),
  };
}

/** Checks a positive integer class count. */
export function checkNumClasses(op: string, k: unknown): number {
  return checkNumber(op, 'options.numClasses', k, { integer: true, min: 1 });
}

/**
 * Reads the targets back and checks their values: labels in `1..numClasses`,
 * finite boxes with `x1 <= x2` and `y1 <= y2`. Names the first offender.
 */
export async function checkTargetValues(op: string, targets: DetectorTarget[], numClasses: number): Promise<void> {
  for (let i = 0; i < targets.length; i++) {
    const [b, l] = await Promise.all([targets[i]!.boxes.data(), targets[i]!.labels.data()]);
    for (let j = 0; j < l.length; j++) {
      if (!(l[j]! >= 1 && l[j]! <= numClasses)) {
        throw new FoveaError({ op, arg: `targets[${i}].labels`, expected: `labels in 1..${numClasses}`, got: `${l[j]} at index ${j}` });
      }
      const [x1, y1, x2, y2] = [b[4 * j]!, b[4 * j + 1]!, b[4 * j + 2]!, b[4 * j + 3]!];
      if (![x1, y1, x2, y2].every(Number.isFinite) || x2 < x1 || y2 < y1) {
        throw new FoveaError({ op, arg: `targets[${i}].boxes`, expected: 'finite [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2', got: `[${x1}, ${y1}, ${x2}, ${y2}] at row ${j}` });
      }
    }
  }
}
