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
import { FCOS, type FCOSOptions } from '@fovea/detection';
import { runDetector } from './detector-run.js';

const OPTIONS: Omit<FCOSOptions, 'generator'> = {
  numClasses: 3, // circle, square, triangle
  backbone: { widths: [16, 32, 64, 128], stemStride: 2, block: 'basic' }, // ResNet blocks with BatchNorm
  levels: [1], // one level at stride 4 (16×16 for 64 px), with strides 8 and 16 merged in by the pyramid
  fpnChannels: 64,
  headConvs: 2,
  groupNorm: false, // GroupNorm's reductions cost as much as the convolutions on WASM; exp-parameterised distances train without it
};

await runDetector({
  name: 'fcos',
  title: 'FCOS',
  build: (generator) => new FCOS({ ...OPTIONS, ...(generator ? { generator } : {}) }),
  seed: 3,
  steps: 1100,
  batch: 8,
  lr: 2e-3,
  warmup: 50,
  bar: 0.9,
});
