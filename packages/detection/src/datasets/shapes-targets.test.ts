import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { shapesScenes } from './shapes.js';
import { shapesPanopticSegments, shapesToTargets } from './shapes-targets.js';

describe('shapes training targets', () => {
  it('gives pixel-edge boxes, labels, masks and semantic maps', async () => {
    const scenes = shapesScenes(3, { size: 40, minObjects: 2, maxObjects: 3, generator: new Generator(5) });
    const batch = shapesToTargets(scenes, { masks: true });
    expect(batch.images.shape).toEqual([3, 40, 40, 3]);
    expect(batch.semantic.shape).toEqual([3, 40, 40]);
    for (let i = 0; i < 3; i++) {
      const s = scenes[i]!, t = batch.targets[i]!;
      expect(await t.boxes.array()).toEqual(s.objects.map((o) => [o.box[0], o.box[1], o.box[2] + 1, o.box[3] + 1]));
      expect(Array.from(await t.labels.data())).toEqual(s.objects.map((o) => o.label));
      expect(t.masks!.shape).toEqual([s.objects.length, 40, 40]);
      const areas = tf.sum(t.masks!, [1, 2]);
      expect(Array.from(await areas.data())).toEqual(s.masks.map((m) => m.reduce((a, v) => a + v, 0)));
      areas.dispose();
    }
    batch.dispose();
    const plain = shapesToTargets(scenes);
    expect(plain.targets[0]!.masks).toBeUndefined();
    plain.dispose();
  });

  it('gives panoptic segments: objects first, then the stuff present', () => {
    const [scene] = shapesScenes(1, { size: 32, minObjects: 2, maxObjects: 2, generator: new Generator(6) });
    const { segments, categories } = shapesPanopticSegments(scene!);
    const m = scene!.objects.length;
    expect(categories.slice(0, m)).toEqual(scene!.objects.map((o) => o.label));
    expect(categories.slice(m).every((c) => c === 4 || c === 5)).toBe(true);
    for (let p = 0; p < segments.length; p++) {
      const seg = segments[p]!;
      expect(categories[seg]).toBe(scene!.semantic[p]); // every pixel's segment has the pixel's semantic class
      if (seg < m) expect(scene!.masks[seg]![p]).toBe(1);
    }
  });
});
