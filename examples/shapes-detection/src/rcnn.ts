/**
 * R-CNN, the slow detector, on the shapes scenes (@fovea/detection):
 * selective-search proposals, each warped (with 10 % context) to a 32 × 32
 * crop and classified by a small CNN with box regression. Prints the COCO box
 * AP of the reloaded weights on 300 held-out scenes and writes `out/rcnn.png`.
 *
 *   pnpm --filter @fovea/example-shapes-detection rcnn      (after `pnpm build`)
 */
import { RCNN } from '@fovea/detection';
import { CROP_CNN } from './configs.js';
import { runDetector } from './detector-run.js';

await runDetector({
  name: 'rcnn',
  title: 'R-CNN',
  build: (generator) => new RCNN({ ...CROP_CNN, widths: [...CROP_CNN.widths], ...(generator ? { generator } : {}) }),
  seed: 6,
  steps: 300,
  batch: 8,
  lr: 2e-3,
  warmup: 30,
});
