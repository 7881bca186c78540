/**
 * Evaluation and pictures for the detectors: COCO box AP with
 * @fovea/metrics' `MeanAveragePrecision`, mask IoU of matched instances,
 * and a PNG of predictions next to the ground truth.
 */
import * as tf from '@tensorflow/tfjs-core';
import { detectionsToArrays, disposeDetections, shapesToTargets, type DetectOptions, type DetectionArrays, type Detections, type ShapesScene } from '@fovea/detection';
import { MeanAveragePrecision, type CocoEvalResult } from '@fovea/metrics';
import { drawBoxes, grid, instanceColor, savePng, sceneImage, tintMask, type Canvas } from './png.js';

/** Anything with the detectors' `detect`. */
export interface Detector {
  detect(images: tf.Tensor4D, opts?: DetectOptions): Promise<Detections[]>;
}

/** Ground-truth boxes of a scene as pixel edges (what the detectors are trained on). */
export function gtBoxes(scene: ShapesScene): number[][] {
  return scene.objects.map((o) => [o.box[0], o.box[1], o.box[2] + 1, o.box[3] + 1]);
}

/** Runs `detect` over the scenes in batches; returns plain arrays per scene and the seconds taken. */
export async function detectAll(model: Detector, scenes: ShapesScene[], opts: DetectOptions = {}, batchSize = 25): Promise<{ dets: DetectionArrays[]; seconds: number }> {
  const dets: DetectionArrays[] = [];
  const t0 = performance.now();
  for (let i = 0; i < scenes.length; i += batchSize) {
    const batch = shapesToTargets(scenes.slice(i, i + batchSize));
    const out = await model.detect(batch.images, opts);
    for (const d of out) dets.push(await detectionsToArrays(d));
    disposeDetections(out);
    batch.dispose();
  }
  return { dets, seconds: (performance.now() - t0) / 1000 };
}

/** COCO box AP (pycocotools-identical) of the detections against the scenes' boxes. */
export async function cocoBoxAp(scenes: ShapesScene[], dets: DetectionArrays[]): Promise<CocoEvalResult> {
  const map = new MeanAveragePrecision({ boxFormat: 'xyxy' });
  await map.update(
    dets.map((d) => ({ boxes: d.boxes, scores: d.scores, labels: d.labels })),
    scenes.map((s) => ({ boxes: gtBoxes(s), labels: s.objects.map((o) => o.label) })),
  );
  return map.compute();
}

function boxIou(a: readonly number[], b: readonly number[]): number {
  const iw = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const ih = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = iw * ih;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

/**
 * Mask quality of matched instances: each ground-truth object is matched to
 * the best-scoring unmatched detection of its class with box IoU ≥ 0.5
 * (greedy by score, as COCO); returns the mean IoU of the binarised (> 0.5)
 * predicted mask with the object's visible mask, over the matched objects,
 * and the share of objects matched.
 */
export function maskIouOfMatches(scenes: ShapesScene[], dets: DetectionArrays[], minScore = 0.5): { meanIou: number; matched: number; total: number } {
  let sum = 0, matched = 0, total = 0;
  scenes.forEach((s, i) => {
    const d = dets[i]!;
    const gts = gtBoxes(s);
    const used = new Set<number>();
    total += gts.length;
    const order = d.scores.map((_, k) => k).filter((k) => d.scores[k]! >= minScore).sort((p, q) => d.scores[q]! - d.scores[p]!);
    for (const k of order) {
      let best = -1, bestIou = 0.5;
      gts.forEach((g, j) => {
        if (used.has(j) || s.objects[j]!.label !== d.labels[k]) return;
        const iou = boxIou(d.boxes[k]!, g);
        if (iou >= bestIou) [best, bestIou] = [j, iou];
      });
      if (best < 0) continue;
      used.add(best);
      const pm = d.masks![k]!, gm = s.masks[best]!;
      let inter = 0, union = 0;
      for (let p = 0; p < gm.length; p++) {
        const a = pm[p]! > 0.5, b = gm[p] === 1;
        if (a && b) inter++;
        if (a || b) union++;
      }
      sum += union ? inter / union : 0;
      matched++;
    }
  });
  return { meanIou: matched ? sum / matched : NaN, matched, total };
}

/**
 * Writes a PNG: one row per scene, ground truth (boxes, and masks when the
 * detections have them) on the left, detections scoring at least `minScore`
 * on the right.
 */
export function detectionPng(path: string, scenes: ShapesScene[], dets: DetectionArrays[], title: string, minScore = 0.5, scale = 4): void {
  const rows: Canvas[][] = scenes.map((s, i) => {
    const gt = sceneImage(s, scale);
    const pred = sceneImage(s, scale);
    const d = dets[i]!;
    if (d.masks) {
      s.masks.forEach((m, j) => tintMask(gt, m, s.width, s.height, scale, instanceColor(j)));
      d.masks.forEach((m, k) => d.scores[k]! >= minScore && tintMask(pred, m, s.width, s.height, scale, instanceColor(k)));
    }
    drawBoxes(gt, gtBoxes(s).map((box, j) => ({ box, label: s.objects[j]!.label })), scale);
    drawBoxes(pred, d.boxes.map((box, k) => ({ box, label: d.labels[k]!, score: d.scores[k]! })).filter((b) => b.score >= minScore), scale);
    return [gt, pred];
  });
  savePng(path, grid(rows, ['ground truth', title]));
}

/** The COCO numbers the example prints. */
export function apLine(name: string, r: CocoEvalResult): string {
  return `${name}: COCO box AP@[.5:.95] ${r.stats[0]!.toFixed(4)}, AP@0.5 ${r.stats[1]!.toFixed(4)}, AP@0.75 ${r.stats[2]!.toFixed(4)}, AR@100 ${r.stats[8]!.toFixed(4)}`;
}
