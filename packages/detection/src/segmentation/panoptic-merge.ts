import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, formatShape } from '@fovea/core';
import type { Detections } from '../models/types.js';

/** Options for {@link panopticMerge}. @category Segmentation */
export interface PanopticMergeOptions {
  /** The semantic labels that are "stuff" (e.g. sky, ground); the others (and 0) are never taken from the semantic map. */
  stuffClasses: number[];
  /** Instances scoring below this are dropped; default 0.5. */
  scoreThreshold?: number;
  /** Mask probability above which a pixel belongs to an instance; default 0.5. */
  maskThreshold?: number;
  /** An instance is dropped when more than this share of its mask is already taken by better ones; default 0.5. */
  overlapThreshold?: number;
  /** Stuff regions with fewer pixels are dropped (left unlabeled); default 16. */
  stuffAreaThreshold?: number;
}

/** One segment of a {@link PanopticSegmentation}. @category Segmentation */
export interface PanopticSegmentInfo {
  /** Its index in `segments` (from 0). */
  id: number;
  /** Its category: the instance's label for things, the semantic label for stuff. */
  category: number;
  /** Whether it is an instance ("thing") or a stuff region. */
  isThing: boolean;
  /** The instance's detection score (stuff: `null`). */
  score: number | null;
  /** Its area in pixels. */
  area: number;
}

/** One image's panoptic segmentation. @category Segmentation */
export interface PanopticSegmentation {
  /** `[H, W]` int32 segment index of each pixel, `-1` where nothing was assigned (the caller disposes it). */
  segments: tf.Tensor2D;
  /** One entry per segment, indexed by `id`. */
  segmentsInfo: PanopticSegmentInfo[];
}

function resolve(opts: PanopticMergeOptions) {
  const op = 'panopticMerge';
  if (!opts || !Array.isArray(opts.stuffClasses)) throw new FoveaError({ op, arg: 'options.stuffClasses', expected: 'an array of semantic labels', got: String(opts?.stuffClasses) });
  opts.stuffClasses.forEach((c, i) => checkNumber(op, `options.stuffClasses[${i}]`, c, { integer: true, min: 0 }));
  return {
    stuff: new Set(opts.stuffClasses),
    scoreThreshold: checkNumber(op, 'options.scoreThreshold', opts.scoreThreshold ?? 0.5),
    maskThreshold: checkNumber(op, 'options.maskThreshold', opts.maskThreshold ?? 0.5),
    overlapThreshold: checkNumber(op, 'options.overlapThreshold', opts.overlapThreshold ?? 0.5, { min: 0, max: 1 }),
    stuffAreaThreshold: checkNumber(op, 'options.stuffAreaThreshold', opts.stuffAreaThreshold ?? 16, { min: 0 }),
  };
}

/** Pastes instances (best first) into `seg`, Detectron2's rule; returns their segment infos. */
function pasteInstances(seg: Int32Array, masks: Float32Array, scores: ArrayLike<number>, labels: ArrayLike<number>, o: ReturnType<typeof resolve>): PanopticSegmentInfo[] {
  const hw = seg.length;
  const info: PanopticSegmentInfo[] = [];
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  for (const d of order) {
    if (scores[d]! < o.scoreThreshold) break;
    let area = 0, taken = 0;
    for (let p = 0; p < hw; p++) {
      if (masks[d * hw + p]! <= o.maskThreshold) continue;
      area++;
      if (seg[p]! >= 0) taken++;
    }
    if (area === 0 || taken / area > o.overlapThreshold) continue;
    const id = info.length;
    let kept = 0;
    for (let p = 0; p < hw; p++) {
      if (masks[d * hw + p]! > o.maskThreshold && seg[p]! < 0) {
        seg[p] = id;
        kept++;
      }
    }
    info.push({ id, category: labels[d]!, isThing: true, score: scores[d]!, area: kept });
  }
  return info;
}

/** Fills the unassigned pixels with the stuff regions of the semantic map, largest label first in label order. */
function pasteStuff(seg: Int32Array, sem: ArrayLike<number>, info: PanopticSegmentInfo[], o: ReturnType<typeof resolve>): void {
  const labels = [...new Set(Array.from(sem))].filter((l) => o.stuff.has(l)).sort((a, b) => a - b);
  for (const l of labels) {
    let area = 0;
    for (let p = 0; p < seg.length; p++) if (sem[p] === l && seg[p]! < 0) area++;
    if (area === 0 || area < o.stuffAreaThreshold) continue;
    const id = info.length;
    for (let p = 0; p < seg.length; p++) if (sem[p] === l && seg[p]! < 0) seg[p] = id;
    info.push({ id, category: l, isThing: false, score: null, area });
  }
}

/**
 * Panoptic segmentation by merging an instance model's output ("things")
 * with a semantic map ("stuff"), the heuristic of Kirillov et al.'s
 * panoptic FPN (Detectron2's `combine_semantic_and_instance_outputs`): per
 * image, instances scoring at least `scoreThreshold` are pasted best first
 * (mask probability > `maskThreshold`), skipping one whose mask is more than
 * `overlapThreshold` covered by earlier ones and trimming it to the free
 * pixels; then each stuff label of the semantic map fills the pixels still
 * free, if that leaves at least `stuffAreaThreshold` pixels. Thing labels of
 * the semantic map are ignored (the instances speak for things). Reads the
 * inputs back (async).
 *
 * @param instances per image, {@link Detections} with `[D, H, W]` masks (e.g. {@link MaskRCNN}'s).
 * @param semantic `[N, H, W]` int32 semantic labels (e.g. {@link FCN.segment}).
 * @param opts stuff classes and thresholds.
 * @returns one {@link PanopticSegmentation} per image.
 * @example
 * ```ts
 * import { panopticMerge } from '@fovea/detection';
 * const instances = await maskRcnn.detect(images);           // things: circles, squares, triangles
 * const semantic = fcn.segment(images);                      // [N, H, W] labels, 4 = sky, 5 = ground
 * const [p] = await panopticMerge(instances, semantic, { stuffClasses: [4, 5] });
 * p.segmentsInfo; // [{ id: 0, category: 2, isThing: true, score: 0.98, area: 143 }, …, { id: 3, category: 4, isThing: false, … }]
 * ```
 * @category Segmentation
 */
export async function panopticMerge(instances: Detections[], semantic: tf.Tensor, opts: PanopticMergeOptions): Promise<PanopticSegmentation[]> {
  const op = 'panopticMerge';
  const o = resolve(opts);
  checkTensor(op, 'semantic', semantic, { rank: 3, dtype: 'int32' });
  const [n, h, w] = semantic.shape as [number, number, number];
  if (!Array.isArray(instances) || instances.length !== n) {
    throw new FoveaError({ op, arg: 'instances', expected: `${n} detections (one per image of semantic)`, got: Array.isArray(instances) ? `${instances.length}` : typeof instances });
  }
  instances.forEach((d, i) => {
    const dims = {};
    checkTensor(op, `instances[${i}].scores`, d.scores, { shape: ['D'] }, dims);
    checkTensor(op, `instances[${i}].labels`, d.labels, { shape: ['D'] }, dims);
    if (!d.masks) throw new FoveaError({ op, arg: `instances[${i}].masks`, expected: `[D, ${h}, ${w}] mask probabilities`, got: 'none (use an instance-segmentation model)' });
    checkTensor(op, `instances[${i}].masks`, d.masks, { shape: ['D', h, w] }, dims);
  });
  const sem = (await semantic.data()) as Int32Array;
  const out: PanopticSegmentation[] = [];
  for (let i = 0; i < n; i++) {
    const d = instances[i]!;
    const [masks, scores, labels] = await Promise.all([d.masks!.data(), d.scores.data(), d.labels.data()]);
    const seg = new Int32Array(h * w).fill(-1);
    const info = pasteInstances(seg, masks as Float32Array, scores, labels, o);
    pasteStuff(seg, sem.subarray(i * h * w, (i + 1) * h * w), info, o);
    out.push({ segments: tf.tensor2d(seg, [h, w], 'int32'), segmentsInfo: info });
  }
  return out;
}

/**
 * Converts a panoptic segmentation to the dataset's id encoding
 * (`category · divisor + instance`, the instances numbered from 1 in
 * segment order, stuff `category · divisor`, unassigned 0), as the shapes
 * scenes' `panoptic` maps.
 *
 * @param p one image's {@link PanopticSegmentation}.
 * @param divisor the label divisor; default 1000 ({@link PANOPTIC_DIVISOR}).
 * @returns `[H·W]` ids, row-major.
 * @example
 * ```ts
 * import { panopticIds } from '@fovea/detection';
 * const ids = await panopticIds(p);   // e.g. 2001 (the first square), 4000 (sky)
 * ```
 * @category Segmentation
 */
export async function panopticIds(p: PanopticSegmentation, divisor = 1000): Promise<Int32Array> {
  checkTensor('panopticIds', 'p.segments', p?.segments, { rank: 2, dtype: 'int32' });
  checkNumber('panopticIds', 'divisor', divisor, { integer: true, min: 1 });
  const seg = (await p.segments.data()) as Int32Array;
  let thing = 0;
  const code = p.segmentsInfo.map((s) => (s.isThing ? s.category * divisor + ++thing : s.category * divisor));
  const out = new Int32Array(seg.length);
  for (let i = 0; i < seg.length; i++) {
    if (seg[i]! < 0) continue;
    const c = code[seg[i]!];
    if (c === undefined) throw new FoveaError({ op: 'panopticIds', arg: 'p.segments', expected: `segment ids below ${code.length}`, got: `${seg[i]} at pixel ${i} (${formatShape(p.segments.shape)})` });
    out[i] = c;
  }
  return out;
}
