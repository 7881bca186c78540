import * as tf from '@tensorflow/tfjs-core';
import type { DetectorTarget } from '../models/types.js';
import { PANOPTIC_DIVISOR, shapesToTensors, type ShapesScene } from './shapes.js';

/** Options of {@link shapesToTargets}. @category Datasets */
export interface ShapesTargetsOptions {
  /** Include the `[M, H, W]` instance masks in each target (for Mask R-CNN); default `false`. */
  masks?: boolean;
}

/** What {@link shapesToTargets} returns (the caller disposes it with `dispose()`). @category Datasets */
export interface ShapesTrainingBatch {
  /** `[N, H, W, 3]` float32 images in [0, 1]. */
  images: tf.Tensor4D;
  /** One detector target per scene, boxes as pixel edges. */
  targets: DetectorTarget[];
  /** `[N, H, W]` int32 semantic maps (0 unlabeled, 1..K things, K+1.. stuff). */
  semantic: tf.Tensor3D;
  /** Releases every tensor of the batch. */
  dispose(): void;
}

/**
 * Turns scenes of one size into a training batch for the detectors: the
 * images, the semantic maps, and one {@link DetectorTarget} per scene whose
 * boxes are **pixel edges** `[x1, y1, x2 + 1, y2 + 1]` (the scene's boxes are
 * inclusive pixel indices, torchvision's `masks_to_boxes`; the detectors,
 * RoIAlign and COCO evaluation treat boxes as continuous, so a one-pixel
 * object is one pixel wide).
 *
 * @param scenes scenes with equal `height` and `width`.
 * @param opts whether to include instance masks.
 * @returns images, targets, semantic maps, and `dispose()`.
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { shapesScenes, shapesToTargets } from '@fovea/detection';
 * const batch = shapesToTargets(shapesScenes(8, { generator: new Generator(0) }), { masks: true });
 * batch.images.shape;             // [8, 64, 64, 3]
 * batch.targets[0].masks!.shape;  // [M, 64, 64]
 * batch.dispose();
 * ```
 * @category Datasets
 */
export function shapesToTargets(scenes: ShapesScene[], opts: ShapesTargetsOptions = {}): ShapesTrainingBatch {
  const t = shapesToTensors(scenes);
  tf.dispose(t.boxes);
  if (!opts.masks) tf.dispose(t.masks);
  const targets: DetectorTarget[] = scenes.map((s, i) => {
    const edges = s.objects.flatMap((o) => [o.box[0], o.box[1], o.box[2] + 1, o.box[3] + 1]);
    return {
      boxes: tf.tensor2d(edges, [s.objects.length, 4]),
      labels: t.labels[i]!,
      ...(opts.masks ? { masks: t.masks[i]! } : {}),
    };
  });
  return {
    images: t.images,
    targets,
    semantic: t.semantic,
    dispose() {
      tf.dispose([t.images, t.semantic, ...targets.flatMap((g) => [g.boxes, g.labels, ...(g.masks ? [g.masks] : [])])]);
    },
  };
}

/** A scene's panoptic ground truth as segments, the form of @fovea/metrics' `panopticQuality` targets. @category Datasets */
export interface ShapesPanopticSegments {
  /** `[H·W]` segment index per pixel (objects first, in the scene's order, then the stuff regions present); `-1` unlabeled. */
  segments: Int32Array;
  /** Category of each segment: the object's label, or the stuff label of {@link ShapesScene.semantic}. */
  categories: number[];
}

/**
 * A scene's panoptic map as segments and categories: one segment per
 * object (category its label) and one per stuff class present (category its
 * semantic label); unlabeled pixels are `-1`.
 *
 * @param scene a generated scene.
 * @returns per-pixel segment indices and each segment's category.
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { generateShapesScene, shapesPanopticSegments } from '@fovea/detection';
 * const { segments, categories } = shapesPanopticSegments(generateShapesScene({ generator: new Generator(0) }));
 * categories; // e.g. [1, 3, 4, 5]: a circle, a triangle, sky, ground
 * ```
 * @category Datasets
 */
export function shapesPanopticSegments(scene: ShapesScene): ShapesPanopticSegments {
  const m = scene.objects.length;
  const stuffIds = new Map<number, number>();
  const categories = scene.objects.map((o) => o.label);
  const segments = new Int32Array(scene.panoptic.length);
  for (let i = 0; i < segments.length; i++) {
    const id = scene.panoptic[i]!;
    const label = Math.floor(id / PANOPTIC_DIVISOR), instance = id % PANOPTIC_DIVISOR;
    if (id === 0) segments[i] = -1;
    else if (instance > 0) segments[i] = instance - 1;
    else {
      if (!stuffIds.has(label)) {
        stuffIds.set(label, m + stuffIds.size);
        categories.push(label);
      }
      segments[i] = stuffIds.get(label)!;
    }
  }
  return { segments, categories };
}
