import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '@fovea/core';
import { disposeDetections } from '../models/detections.js';
import type { DetectOptions, Detections } from '../models/types.js';
import { panopticMerge, type PanopticMergeOptions, type PanopticSegmentation } from './panoptic-merge.js';

/** An instance-segmentation model: `detect` returns detections with masks (e.g. {@link MaskRCNN}). @category Segmentation */
export interface InstanceSegmenter {
  detect(images: tf.Tensor4D, opts?: DetectOptions): Promise<Detections[]>;
}

/** A semantic-segmentation model: `segment` returns `[N, H, W]` int32 labels (e.g. {@link FCN}). @category Segmentation */
export interface SemanticSegmenter {
  segment(images: tf.Tensor): tf.Tensor3D;
}

/** Options for {@link PanopticSegmenter}: the merge's, plus the instance model's detection options. @category Segmentation */
export interface PanopticSegmenterOptions extends PanopticMergeOptions {
  /** Options of the instance model's `detect`; default its own. */
  detect?: DetectOptions;
}

/**
 * Panoptic segmentation from two trained models, as panoptic FPN combines
 * its two branches: an instance model for the things and a semantic model
 * for the stuff, merged by {@link panopticMerge}.
 *
 * @example
 * ```ts
 * import { PanopticSegmenter } from '@fovea/detection';
 * const panoptic = new PanopticSegmenter(maskRcnn, fcn, { stuffClasses: [4, 5] });
 * const [p] = await panoptic.segment(images);
 * p.segments.shape; // [H, W], segment index per pixel; p.segmentsInfo says what each is
 * ```
 * @category Segmentation
 */
export class PanopticSegmenter {
  /** The merge and detection options. */
  readonly options: PanopticSegmenterOptions;

  /**
   * @param things the instance model.
   * @param stuff the semantic model.
   * @param opts stuff classes, thresholds, detection options.
   */
  constructor(readonly things: InstanceSegmenter, readonly stuff: SemanticSegmenter, opts: PanopticSegmenterOptions) {
    const op = 'PanopticSegmenter';
    if (!things || typeof things.detect !== 'function') throw new FoveaError({ op, arg: 'things', expected: 'an instance model with detect()', got: String(things) });
    if (!stuff || typeof stuff.segment !== 'function') throw new FoveaError({ op, arg: 'stuff', expected: 'a semantic model with segment()', got: String(stuff) });
    this.options = { ...opts };
  }

  /**
   * @param images `[N, H, W, 3]` float32 images.
   * @returns one {@link PanopticSegmentation} per image (the caller disposes the `segments` tensors).
   */
  async segment(images: tf.Tensor4D): Promise<PanopticSegmentation[]> {
    const { detect, ...merge } = this.options;
    const instances = await this.things.detect(images, detect);
    const semantic = this.stuff.segment(images);
    try {
      return await panopticMerge(instances, semantic, merge);
    } finally {
      disposeDetections(instances);
      semantic.dispose();
    }
  }
}
