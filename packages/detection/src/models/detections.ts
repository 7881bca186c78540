import * as tf from '@tensorflow/tfjs-core';
import type { Detections } from './types.js';

/**
 * Releases the tensors of one image's or many images' {@link Detections}.
 *
 * @param detections what a detector's `detect` returned.
 * @example
 * ```ts
 * import { disposeDetections } from '@fovea/detection';
 * const dets = await detector.detect(images);
 * // ... read them ...
 * disposeDetections(dets);
 * ```
 * @category Detectors
 */
export function disposeDetections(detections: Detections | Detections[]): void {
  for (const d of Array.isArray(detections) ? detections : [detections]) {
    tf.dispose([d.boxes, d.scores, d.labels, ...(d.masks ? [d.masks] : [])]);
  }
}

/** Plain-array form of one image's {@link Detections}. @category Detectors */
export interface DetectionArrays {
  /** `[D][4]` boxes as `[x1, y1, x2, y2]`. */
  boxes: number[][];
  /** `[D]` scores. */
  scores: number[];
  /** `[D]` labels. */
  labels: number[];
  /** `D` masks as flat `[H·W]` probabilities, row-major (when the detector makes masks). */
  masks?: Float32Array[];
}

/**
 * Reads one image's {@link Detections} into plain arrays (e.g. for
 * @fovea/metrics' evaluators or drawing); the tensors are not disposed.
 *
 * @example
 * ```ts
 * import { detectionsToArrays } from '@fovea/detection';
 * const [d] = await detector.detect(image);
 * const { boxes, scores, labels } = await detectionsToArrays(d);
 * // boxes: [[12.1, 8.4, 30.2, 27.9], ...], scores: [0.98, ...], labels: [2, ...]
 * ```
 * @category Detectors
 */
export async function detectionsToArrays(d: Detections): Promise<DetectionArrays> {
  const [b, s, l] = await Promise.all([d.boxes.data(), d.scores.data(), d.labels.data()]);
  const out: DetectionArrays = {
    boxes: Array.from({ length: s.length }, (_, i) => Array.from(b.subarray(4 * i, 4 * i + 4))),
    scores: Array.from(s),
    labels: Array.from(l),
  };
  if (d.masks) {
    const m = (await d.masks.data()) as Float32Array;
    const hw = d.masks.shape[1] * d.masks.shape[2];
    out.masks = Array.from({ length: s.length }, (_, i) => m.slice(i * hw, (i + 1) * hw));
  }
  return out;
}
