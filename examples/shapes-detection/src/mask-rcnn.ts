/**
 * Mask R-CNN on the shapes scenes (@fovea/detection): the Faster R-CNN of
 * faster-rcnn.ts plus a mask branch on RoIAlign features (14 × 14 masks per
 * class), trained on the scenes' instance masks. Prints the COCO box AP and
 * the mask IoU of matched instances on 300 held-out scenes (reloaded weights),
 * writes `out/mask-rcnn.png` (ground truth | detections with masks) and
 * `out/mask-rcnn.safetensors` (used by panoptic.ts).
 *
 *   pnpm --filter @fovea/example-shapes-detection mask-rcnn      (after `pnpm build`)
 *   STEPS=… BATCH=… FRESH=1 (ignore the checkpoint) TEST_SCENES=…
 */
import { MaskRCNN } from '@fovea/detection';
import { MASK_RCNN } from './configs.js';
import { runDetector } from './detector-run.js';

await runDetector({
  name: 'mask-rcnn',
  title: 'Mask R-CNN',
  build: (generator) => new MaskRCNN({ ...MASK_RCNN, ...(generator ? { generator } : {}) }),
  seed: 4,
  steps: 800,
  batch: 8,
  lr: 2e-3,
  warmup: 50,
  masks: true,
});
