import { attentionOps } from './ops/attention.js';
import { coreOps } from './ops/core.js';
import { detectionOps } from './ops/detection.js';
import { generativeOps } from './ops/generative.js';
import { geometry3dOps } from './ops/geometry3d.js';
import { layersOps } from './ops/layers.js';
import { metricsOps } from './ops/metrics.js';
import { optimOps } from './ops/optim.js';
import { rnnOps } from './ops/rnn.js';
import type { OpHandler } from './types.js';

/**
 * Op name → handler, one table per package (`ops/<package>.ts`). An op not
 * listed answers `unsupported op`.
 */
export const handlers: Record<string, OpHandler> = {
  ...coreOps,
  ...optimOps,
  ...layersOps,
  ...rnnOps,
  ...attentionOps,
  ...detectionOps,
  ...generativeOps,
  ...geometry3dOps,
  ...metricsOps,
};
