/** FCOS's location-to-object assignment (private): torchvision's `FCOS.compute_loss` matching, on typed arrays. */
import * as tf from '@tensorflow/tfjs-core';
import type { DetectorTarget } from '../types.js';

/** One pyramid level's location grid. */
export interface LevelGrid {
  /** Feature-map height and width. */
  h: number;
  w: number;
  /** Stride in pixels. */
  stride: number;
}

/** {@link FCOS}'s per-location training targets of a batch, flattened over images, then levels, then locations (row-major). @category Detectors */
export interface FcosTargets {
  /** `[N·L, K]` one-hot classes (all zero for background). */
  classes: tf.Tensor2D;
  /** `[N·L, 4]` matched ground-truth boxes (zeros for background). */
  boxes: tf.Tensor2D;
  /** `[N·L]` 1 for locations with an object, else 0. */
  foreground: tf.Tensor1D;
  /** `[N·L]` centerness target `sqrt(min(l,r)/max(l,r) · min(t,b)/max(t,b))` (0 for background). */
  centerness: tf.Tensor1D;
  /** Number of foreground locations. */
  numForeground: number;
}

/** The centres `(x + 0.5)·s, (y + 0.5)·s` of every level's locations, levels in order, row-major. */
export function locationCenters(levels: LevelGrid[]): { cx: Float32Array; cy: Float32Array; stride: Float32Array; level: Int32Array } {
  const n = levels.reduce((s, l) => s + l.h * l.w, 0);
  const cx = new Float32Array(n), cy = new Float32Array(n), stride = new Float32Array(n), level = new Int32Array(n);
  let k = 0;
  levels.forEach((l, li) => {
    for (let y = 0; y < l.h; y++)
      for (let x = 0; x < l.w; x++, k++) {
        cx[k] = (x + 0.5) * l.stride;
        cy[k] = (y + 0.5) * l.stride;
        stride[k] = l.stride;
        level[k] = li;
      }
  });
  return { cx, cy, stride, level };
}

/**
 * Assigns every location to at most one object: the location must lie inside
 * the box and within `radius · stride` of its centre (centre sampling), the
 * largest of its distances to the box sides must fall in its level's range
 * (`(4s, 8s)`, the first level from 0 and the last to infinity), and among
 * the objects left it takes the smallest.
 */
export async function assignFcosTargets(levels: LevelGrid[], targets: DetectorTarget[], numClasses: number, radius: number): Promise<FcosTargets> {
  const { cx, cy, stride, level } = locationCenters(levels);
  const L = cx.length, N = targets.length, last = levels.length - 1;
  const classes = new Float32Array(N * L * numClasses), boxes = new Float32Array(N * L * 4);
  const fg = new Float32Array(N * L), ctr = new Float32Array(N * L);
  let numForeground = 0;
  for (let i = 0; i < N; i++) {
    const b = (await targets[i]!.boxes.data()) as Float32Array;
    const lab = (await targets[i]!.labels.data()) as Int32Array;
    const m = lab.length;
    for (let p = 0; p < L; p++) {
      let best = -1, bestArea = Infinity;
      const lo = level[p] === 0 ? -Infinity : 4 * stride[p]!, hi = level[p] === last ? Infinity : 8 * stride[p]!;
      for (let g = 0; g < m; g++) {
        const [x0, y0, x1, y1] = [b[4 * g]!, b[4 * g + 1]!, b[4 * g + 2]!, b[4 * g + 3]!];
        const l = cx[p]! - x0, t = cy[p]! - y0, r = x1 - cx[p]!, bt = y1 - cy[p]!;
        if (Math.min(l, t, r, bt) <= 0) continue;
        const gx = (x0 + x1) / 2, gy = (y0 + y1) / 2;
        if (Math.max(Math.abs(cx[p]! - gx), Math.abs(cy[p]! - gy)) >= radius * stride[p]!) continue;
        const far = Math.max(l, t, r, bt);
        if (!(far > lo && far < hi)) continue;
        const area = (x1 - x0) * (y1 - y0);
        if (area < bestArea) [best, bestArea] = [g, area];
      }
      if (best < 0) continue;
      const k = i * L + p;
      const [x0, y0, x1, y1] = [b[4 * best]!, b[4 * best + 1]!, b[4 * best + 2]!, b[4 * best + 3]!];
      boxes.set([x0, y0, x1, y1], 4 * k);
      classes[k * numClasses + lab[best]! - 1] = 1;
      fg[k] = 1;
      const l = cx[p]! - x0, t = cy[p]! - y0, r = x1 - cx[p]!, bt = y1 - cy[p]!;
      ctr[k] = Math.sqrt((Math.min(l, r) / Math.max(l, r)) * (Math.min(t, bt) / Math.max(t, bt)));
      numForeground++;
    }
  }
  return {
    classes: tf.tensor2d(classes, [N * L, numClasses]),
    boxes: tf.tensor2d(boxes, [N * L, 4]),
    foreground: tf.tensor1d(fg),
    centerness: tf.tensor1d(ctr),
    numForeground,
  };
}
