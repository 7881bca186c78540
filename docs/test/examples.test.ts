/**
 * Runs the guides' code: every docs/examples/*.ts file, whose regions the
 * guides include with {@includeCode}, on the default test backend (wasm),
 * with sizes cut down where a full run takes minutes. The root setup file
 * fails a test that leaks tensors.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run as gettingStarted } from '../examples/getting-started.js';
import { run as pytorchWeights } from '../examples/pytorch-weights.js';
import { run as training } from '../examples/training.js';
import { run as detection } from '../examples/detection.js';

describe('guide examples', () => {
  it('getting started: a layer as function and Module, a FoveaError, a state dict round trip', async () => {
    const r = await gettingStarted();
    expect(r.sameAsFunction).toBe(true);
    expect(r.errorMessage).toMatch(/^conv2d: weight must be .*, got shape \[3, 3, 1, 8\] for x \[2, 1, 28, 28\]$/);
    expect(r.keys).toEqual(['weight', 'bias']);
    expect(r.leaked).toBe(0);
  });

  it('loading PyTorch weights: a torchvision BasicBlock reproduces PyTorch and saves back', async () => {
    const r = await pytorchWeights();
    expect(r.keys).toEqual([
      'conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked',
      'conv2.weight', 'bn2.weight', 'bn2.bias', 'bn2.running_mean', 'bn2.running_var', 'bn2.num_batches_tracked',
      'downsample.0.weight', 'downsample.1.weight', 'downsample.1.bias', 'downsample.1.running_mean', 'downsample.1.running_var', 'downsample.1.num_batches_tracked',
    ]);
    expect(r.outputShape).toEqual([2, 32, 4, 4]);
    expect(r.maxAbsError).toBeLessThan(1e-5);
    expect(existsSync(r.savedTo)).toBe(true);
    expect(r.roundTripKeys).toEqual(r.keys);
  });

  it('training loop: Trainer, checkpoint, resume, evaluate, a manual step', async () => {
    const r = await training({ epochs: 2, trainSize: 640 });
    expect(r.history.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.history.epochs[1]!.loss).toBeLessThan(r.history.epochs[0]!.loss);
    // the resumed run restored both epochs from the checkpoint and trained two more
    expect(r.resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(r.resumed.epochs.slice(0, 2)).toEqual(r.history.epochs);
    expect(r.testAccuracy).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
    expect(Number.isFinite(r.manualLoss)).toBe(true);
  }, 300_000);

  it('detection end to end: scenes, Faster R-CNN steps, NMS three ways, COCO evaluation', async () => {
    const r = await detection({ steps: 2, batch: 2, testScenes: 3, logEvery: 0 });
    expect(Number.isFinite(r.firstLoss) && Number.isFinite(r.lastLoss)).toBe(true);
    expect(r.counts.raw).toBeGreaterThan(0);
    // suppression only removes boxes
    for (const kept of [r.counts.classAware, r.counts.classAgnostic, r.counts.soft]) expect(kept).toBeLessThanOrEqual(r.counts.raw);
    expect(r.coco.stats).toHaveLength(12);
    expect(r.cocoWithoutNms.stats).toHaveLength(12);
  }, 300_000);
});
