/**
 * Gradients Fovea registers over tfjs-core 4.22's (for every backend: the
 * gradient registry is global). `initBackend()` calls
 * {@link registerFoveaGradients} after loading tfjs's own gradients
 * (`#tfjs-extras`), so these replace the wrong ones; see README.md in
 * `../kernels` for the list and the reasons. Nothing happens at import time.
 *
 * @packageDocumentation
 */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';
import { batchMatMulGradConfig, maximumGradConfig, minimumGradConfig, preluGradConfig, squaredDifferenceGradConfig } from './broadcast.js';
import { comparisonGradConfigs } from './comparisons.js';
import { conv2dGradConfig, conv3dGradConfig, conv3dTransposeGradConfig, depthwiseConv2dGradConfig } from './conv.js';
import { cumprodGradConfig, cumsumGradConfig } from './cumulative.js';
import { einsumGradConfig } from './einsum.js';
import { gatherNdGradConfig, gatherV2GradConfig, scatterNdGradConfig, stridedSliceGradConfig, topKGradConfig } from './indexing.js';

const CONFIGS: readonly GradConfig[] = [
  conv2dGradConfig,
  depthwiseConv2dGradConfig,
  conv3dGradConfig,
  conv3dTransposeGradConfig,
  batchMatMulGradConfig,
  squaredDifferenceGradConfig,
  maximumGradConfig,
  minimumGradConfig,
  preluGradConfig,
  stridedSliceGradConfig,
  gatherNdGradConfig,
  gatherV2GradConfig,
  scatterNdGradConfig,
  topKGradConfig,
  cumsumGradConfig,
  cumprodGradConfig,
  einsumGradConfig,
  ...comparisonGradConfigs,
];

/**
 * Registers Fovea's gradients, replacing tfjs-core's for the same kernels.
 * Idempotent: a kernel whose registered gradient is already Fovea's is
 * left alone (registering again after someone re-registered tfjs's, e.g.
 * by importing `@tensorflow/tfjs`, puts Fovea's back).
 */
export function registerFoveaGradients(): void {
  for (const config of CONFIGS) {
    if (getGradient(config.kernelName) !== config) registerGradient(config);
  }
}

/** Names of the kernels whose gradient Fovea provides. */
export function foveaGradients(): string[] {
  return CONFIGS.map((c) => c.kernelName).sort();
}
