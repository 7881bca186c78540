/** Model settings shared by several scripts (the saved weights are reloaded with them). */
import type { FasterRCNNOptions } from '@fovea/detection';

/** Faster R-CNN's settings; Mask R-CNN adds a mask head to the same detector. */
export const FASTER_RCNN: Omit<FasterRCNNOptions, 'generator'> = {
  numClasses: 3, // circle, square, triangle
  backbone: { widths: [16, 32, 64, 128], stemStride: 2 }, // maps at strides 2, 4, 8, 16
  featureLevel: 1, // the heads see stride 4 (16×16 for 64 px), merged with strides 8 and 16 by the pyramid
  fpnChannels: 64,
  rpn: { anchorSizes: [12, 20, 32], aspectRatios: [0.5, 1, 2], batchSizePerImage: 128, preNmsTopN: [600, 300], postNmsTopN: [100, 50] },
  roiHeads: { pooler: 'align', poolSize: 7, representationSize: 128, batchSizePerImage: 32, positiveFraction: 0.25 },
};
