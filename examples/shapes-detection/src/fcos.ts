/**
 * FCOS, a single-stage anchor-free detector, on the shapes scenes
 * (@fovea/detection): backbone + feature pyramid at stride 4, per-location
 * classes (focal loss), box side distances (GIoU loss) and centerness;
 * Adam with warm-up and cosine decay (@fovea/optim), fresh scenes every
 * step, checkpoints every 100 steps (rerun to resume). Saves the weights,
 * reloads them into a new model, prints the COCO box AP (@fovea/metrics) on
 * 300 held-out scenes and writes `out/fcos.png` (ground truth | detections).
 *
 *   pnpm --filter @fovea/example-shapes-detection fcos      (after `pnpm build`)
 *   STEPS=… BATCH=… FRESH=1 (ignore the checkpoint) TEST_SCENES=…
 */
import { FCOS } from '@fovea/detection';
import { FCOS_OPTIONS } from './configs.js';
import { runDetector } from './detector-run.js';

await runDetector({
  name: 'fcos',
  title: 'FCOS',
  build: (generator) => new FCOS({ ...FCOS_OPTIONS, ...(generator ? { generator } : {}) }),
  seed: 3,
  steps: 1100,
  batch: 8,
  lr: 2e-3,
  warmup: 50,
  bar: 0.9,
});
