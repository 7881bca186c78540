/**
 * Fast R-CNN on the shapes scenes (@fovea/detection): selective-search
 * proposals (computed for every training batch), the backbone run once per
 * image, RoIPool (the paper's) on the stride-4 feature map, the box head;
 * Adam with warm-up and cosine decay. Prints the COCO box AP of the reloaded
 * weights on 300 held-out scenes and writes `out/fast-rcnn.png`.
 *
 *   pnpm --filter @fovea/example-shapes-detection fast-rcnn      (after `pnpm build`)
 */
import { FastRCNN } from '@fovea/detection';
import { FASTER_RCNN } from './configs.js';
import { runDetector } from './detector-run.js';

const { rpn: _rpn, ...shared } = FASTER_RCNN; // the same backbone and box head, without the RPN

await runDetector({
  name: 'fast-rcnn',
  title: 'Fast R-CNN',
  build: (generator) => new FastRCNN({ ...shared, roiHeads: { ...shared.roiHeads, pooler: 'pool' }, ...(generator ? { generator } : {}) }),
  seed: 5,
  steps: 300,
  batch: 8,
  lr: 2e-3,
  warmup: 30,
});
