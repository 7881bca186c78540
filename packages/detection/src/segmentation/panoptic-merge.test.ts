import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { generateShapesScene } from '../datasets/shapes.js';
import { shapesPanopticSegments } from '../datasets/shapes-targets.js';
import type { Detections } from '../models/types.js';
import { panopticIds, panopticMerge } from './panoptic-merge.js';
import { PanopticSegmenter } from './panoptic-segmenter.js';

/** A 1 × 6 image: instance masks over columns, a semantic row. */
function instances(masks: number[][], scores: number[], labels: number[]): Detections {
  return {
    boxes: tf.zeros([scores.length, 4]) as tf.Tensor2D,
    scores: tf.tensor1d(scores),
    labels: tf.tensor1d(labels, 'int32'),
    masks: tf.tensor3d(masks.flat(), [masks.length, 1, 6]),
  };
}

function dispose(d: Detections): void {
  tf.dispose([d.boxes, d.scores, d.labels, d.masks!]);
}

describe('panoptic merge', () => {
  it('pastes instances best first, drops covered ones, then fills stuff', async () => {
    // semantic: sky (4) on columns 0-2, ground (5) on 3-5; a thing label (1) the instances ignore
    const semantic = tf.tensor3d([[[4, 4, 1, 5, 5, 5]]], [1, 1, 6], 'int32');
    const d = instances(
      [
        [0, 0.9, 0.9, 0.9, 0, 0], // the best: columns 1-3
        [0, 0, 0, 0.8, 0.9, 0], // half covered (column 3 taken): kept, trimmed to column 4
        [0, 0.7, 0.7, 0, 0, 0], // fully covered: dropped
        [0.9, 0, 0, 0, 0, 0.9], // below the score threshold: dropped
      ],
      [0.95, 0.9, 0.8, 0.3],
      [2, 3, 1, 1],
    );
    const [p] = await panopticMerge([d], semantic, { stuffClasses: [4, 5], stuffAreaThreshold: 1 });
    expect(Array.from(await p!.segments.data())).toEqual([2, 0, 0, 0, 1, 3]);
    expect(p!.segmentsInfo).toEqual([
      { id: 0, category: 2, isThing: true, score: expect.closeTo(0.95, 6), area: 3 },
      { id: 1, category: 3, isThing: true, score: expect.closeTo(0.9, 6), area: 1 },
      { id: 2, category: 4, isThing: false, score: null, area: 1 },
      { id: 3, category: 5, isThing: false, score: null, area: 1 },
    ]);
    expect(Array.from(await panopticIds(p!))).toEqual([4000, 2001, 2001, 2001, 3002, 5000]);
    // a stricter overlap rule drops the half-covered instance; a larger stuff area drops small stuff
    const [q] = await panopticMerge([d], semantic, { stuffClasses: [4, 5], overlapThreshold: 0.4, stuffAreaThreshold: 2 });
    expect(Array.from(await q!.segments.data())).toEqual([-1, 0, 0, 0, 1, 1]);
    expect(q!.segmentsInfo.map((s) => s.category)).toEqual([2, 5]);
    tf.dispose([semantic, p!.segments, q!.segments]);
    dispose(d);
  });

  it('reproduces a scene from its own instances and semantic map', async () => {
    const scene = generateShapesScene({ size: 32, minObjects: 3, maxObjects: 3, generator: new Generator(4) });
    const n = scene.objects.length;
    const d: Detections = {
      boxes: tf.zeros([n, 4]) as tf.Tensor2D,
      scores: tf.tensor1d(scene.objects.map((_, i) => 1 - i / 10)),
      labels: tf.tensor1d(scene.objects.map((o) => o.label), 'int32'),
      masks: tf.tensor3d(Float32Array.from(scene.masks.flatMap((m) => Array.from(m))), [n, 32, 32]),
    };
    const semantic = tf.tensor3d(scene.semantic, [1, 32, 32], 'int32');
    const [p] = await panopticMerge([d], semantic, { stuffClasses: [4, 5], stuffAreaThreshold: 0 });
    expect(Array.from(await panopticIds(p!))).toEqual(Array.from(scene.panoptic));
    const gt = shapesPanopticSegments(scene);
    expect(Array.from(await p!.segments.data())).toEqual(Array.from(gt.segments));
    expect(p!.segmentsInfo.map((s) => s.category)).toEqual(gt.categories);
    tf.dispose([semantic, p!.segments]);
    dispose(d);
  });

  it('composes two models and rejects bad input', async () => {
    const semantic = tf.tensor3d([[[4, 4, 4, 5, 5, 5]]], [1, 1, 6], 'int32');
    const things = { detect: async () => [instances([[0, 1, 1, 0, 0, 0]], [0.9], [1])] };
    const stuff = { segment: () => tf.clone(semantic) as tf.Tensor3D };
    const segmenter = new PanopticSegmenter(things, stuff, { stuffClasses: [4, 5], stuffAreaThreshold: 0 });
    const images = tf.zeros([1, 1, 6, 3]) as tf.Tensor4D;
    const [p] = await segmenter.segment(images);
    expect(Array.from(await p!.segments.data())).toEqual([1, 0, 0, 2, 2, 2]);
    const noMasks = { ...instances([[1, 1, 1, 1, 1, 1]], [1], [1]) };
    const bareMasks = noMasks.masks!;
    delete noMasks.masks;
    await expect(panopticMerge([noMasks], semantic, { stuffClasses: [4] })).rejects.toThrow('panopticMerge: instances[0].masks must be [D, 1, 6] mask probabilities, got none');
    await expect(panopticMerge([], semantic, { stuffClasses: [4] })).rejects.toThrow('panopticMerge: instances must be 1 detections');
    expect(() => new PanopticSegmenter(things, {} as never, { stuffClasses: [] })).toThrow('PanopticSegmenter: stuff must be a semantic model with segment()');
    tf.dispose([semantic, images, p!.segments, bareMasks]);
    dispose({ ...noMasks, masks: tf.zeros([0, 1, 6]) as tf.Tensor3D });
  });
});
