/** Model settings shared by several scripts (the saved weights are reloaded with them). */
import { SHAPE_CLASSES, STUFF_CLASSES, type FasterRCNNOptions, type FCNOptions, type FCOSOptions, type MaskRCNNOptions } from '@fovea/detection';

/** Faster R-CNN's settings; Mask R-CNN adds a mask head to the same detector. */
export const FASTER_RCNN: Omit<FasterRCNNOptions, 'generator'> = {
  numClasses: 3, // circle, square, triangle
  backbone: { widths: [16, 32, 64, 128], stemStride: 2, block: 'basic' }, // ResNet blocks with BatchNorm; maps at strides 2, 4, 8, 16
  featureLevel: 1, // the heads see stride 4 (16×16 for 64 px), merged with strides 8 and 16 by the pyramid
  fpnChannels: 64,
  rpn: { anchorSizes: [12, 20, 32], aspectRatios: [0.5, 1, 2], batchSizePerImage: 128, preNmsTopN: [600, 300], postNmsTopN: [100, 50] },
  roiHeads: { pooler: 'align', poolSize: 7, representationSize: 128, batchSizePerImage: 32, positiveFraction: 0.25 },
};

/** Mask R-CNN's settings: Faster R-CNN's, and a mask branch of 7 × 7 RoIAlign → 14 × 14 masks (objects are 10–26 px). */
export const MASK_RCNN: Omit<MaskRCNNOptions, 'generator'> = {
  ...FASTER_RCNN,
  maskHead: { poolSize: 7, convs: 2, channels: 32 },
};

/** FCOS's settings (the gallery's detection page reloads `out/fcos.safetensors` with them). */
export const FCOS_OPTIONS: Omit<FCOSOptions, 'generator'> = {
  numClasses: 3, // circle, square, triangle
  backbone: { widths: [16, 32, 64, 128], stemStride: 2, block: 'basic' }, // ResNet blocks with BatchNorm
  levels: [1], // one level at stride 4 (16×16 for 64 px), with strides 8 and 16 merged in by the pyramid
  fpnChannels: 64,
  headConvs: 2,
  groupNorm: false, // GroupNorm's reductions cost as much as the convolutions on WASM; exp-parameterised distances train without it
};

/** The FCN's settings (panoptic.ts reloads its weights). */
export const FCN_OPTIONS: Omit<FCNOptions, 'generator'> = {
  numClasses: 1 + SHAPE_CLASSES.length + STUFF_CLASSES.length, // 0 unlabeled (absent with stuff), 3 things, 2 stuff
  backbone: { widths: [16, 32, 64, 128], stemStride: 2 },
  decoderChannels: 32,
};

/** The crop CNN of the R-CNN and sliding-window scripts: 32 × 32 warped crops, three conv + pool stages, one hidden layer. */
export const CROP_CNN = { numClasses: 3, cropSize: 32, widths: [16, 32, 64], hidden: 128, batchSizePerImage: 32, positiveFraction: 0.25 } as const;
