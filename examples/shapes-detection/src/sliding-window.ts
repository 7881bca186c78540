/**
 * The sliding-window detector on the shapes scenes (@fovea/detection): five
 * window shapes (12, 20 and 28 px squares, 16 × 28 and 28 × 16) every half
 * window (about 200 windows per image), each warped to a 32 × 32 crop and
 * classified by a small CNN with box regression; class-wise NMS. The CNN
 * runs once per window: evaluating 300 scenes takes minutes, which is the
 * point of region proposals. Prints the COCO box AP of the reloaded
 * weights on 300 held-out scenes and writes `out/sliding-window.png`.
 *
 *   pnpm --filter @fovea/example-shapes-detection sliding-window      (after `pnpm build`)
 */
import { SlidingWindowDetector } from '@fovea/detection';
import { CROP_CNN } from './configs.js';
import { runDetector } from './detector-run.js';

await runDetector({
  name: 'sliding-window',
  title: 'Sliding windows',
  build: (generator) => new SlidingWindowDetector({ ...CROP_CNN, widths: [...CROP_CNN.widths], strideFraction: 0.5, ...(generator ? { generator } : {}) }),
  seed: 7,
  steps: 300,
  batch: 8,
  lr: 2e-3,
  warmup: 30,
});
