import type * as tf from '@tensorflow/tfjs-core';

/** Images and labels as tensors, what Fovea's readers return by default. @category Readers */
export interface LabeledImages {
  /** `[N, H, W, C]` float32 values in `[0, 1]` (NHWC; bytes divided by 255). */
  images: tf.Tensor4D;
  /** `[N]` int32 class indices. */
  labels: tf.Tensor1D;
}

/** Images and labels as plain typed arrays (`format: 'array'`): no tensors are made. @category Readers */
export interface LabeledImageArrays {
  /** `N·H·W·C` bytes 0–255, NHWC, image after image. */
  images: Uint8Array;
  /** `[N, H, W, C]`. */
  shape: [number, number, number, number];
  /** `N` class indices. */
  labels: Int32Array;
}

/** Output format of the readers: tensors (default) or plain typed arrays. @category Readers */
export type ReaderFormat = 'tensor' | 'array';
