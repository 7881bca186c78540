/**
 * Faster R-CNN on the shapes scenes (@fovea/detection): backbone + feature
 * pyramid at stride 4, RPN (9 anchors per location, NMS 0.7), RoIAlign box
 * head, the four losses; Adam with warm-up and cosine decay (@fovea/optim),
 * fresh scenes every step, checkpoints every 100 steps (rerun to resume).
 * Saves the weights (safetensors), reloads them into a new model, and prints
 * the COCO box AP (@fovea/metrics) of the reloaded model on 300 held-out
 * scenes; writes `out/faster-rcnn.png` (ground truth | detections).
 *
 *   pnpm --filter @fovea/example-shapes-detection faster-rcnn      (after `pnpm build`)
 *   STEPS=… BATCH=… FRESH=1 (ignore the checkpoint) TEST_SCENES=…
 */
import { FasterRCNN } from '@fovea/detection';
import { FASTER_RCNN } from './configs.js';
import { runDetector } from './detector-run.js';

await runDetector({
  name: 'faster-rcnn',
  title: 'Faster R-CNN',
  build: (generator) => new FasterRCNN({ ...FASTER_RCNN, ...(generator ? { generator } : {}) }),
  seed: 2,
  steps: 900,
  batch: 8,
  lr: 2e-3,
  warmup: 50,
  bar: 0.9,
});
