import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '@fovea/core';
import { PANOPTIC_DIVISOR, SHAPE_CLASSES, STUFF_CLASSES, generateShapesScene, shapesScenes, shapesToTensors } from '../index.js';

describe('shapes scenes', () => {
  it('is reproducible from a seed and differs across seeds', () => {
    const a = generateShapesScene({ generator: new Generator(3) });
    const b = generateShapesScene({ generator: new Generator(3) });
    const c = generateShapesScene({ generator: new Generator(4) });
    expect(a.image).toEqual(b.image);
    expect(a.objects).toEqual(b.objects);
    expect(a.image).not.toEqual(c.image);
  });

  it('keeps masks, boxes, semantic and panoptic maps consistent', () => {
    const scenes = shapesScenes(20, { size: [80, 112], minObjects: 2, maxObjects: 5, maxOverlap: 0.5, generator: new Generator(0) });
    let occluded = 0;
    for (const s of scenes) {
      expect(s.image.length).toBe(80 * 112 * 3);
      expect(s.objects.length).toBeGreaterThanOrEqual(1);
      expect(s.masks.length).toBe(s.objects.length);
      const seen = new Set<number>();
      s.objects.forEach((o, j) => {
        const m = s.masks[j]!;
        let x1 = 1e9, y1 = 1e9, x2 = -1, y2 = -1, area = 0;
        for (let i = 0; i < m.length; i++) {
          if (!m[i]) continue;
          area++;
          const x = i % 112, y = Math.floor(i / 112);
          x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
          expect(s.semantic[i]).toBe(o.label); // the visible object owns the pixel
          expect(s.panoptic[i]).toBe(o.label * PANOPTIC_DIVISOR + j + 1);
          expect(seen.has(i)).toBe(false); // masks do not overlap
          seen.add(i);
        }
        expect(area).toBeGreaterThan(0);
        expect(o.box).toEqual([x1, y1, x2, y2]);
        expect(SHAPE_CLASSES[o.label - 1]).toBe(o.className);
        const full = o.className === 'square' ? (o.box[2] - o.box[0] + 1) * (o.box[3] - o.box[1] + 1) : 0;
        if (full && area < full) occluded++;
      });
      for (let i = 0; i < s.semantic.length; i++) {
        if (!seen.has(i)) {
          expect(s.semantic[i]).toBeGreaterThan(SHAPE_CLASSES.length); // stuff
          expect(s.semantic[i]).toBeLessThanOrEqual(SHAPE_CLASSES.length + STUFF_CLASSES.length);
          expect(s.panoptic[i]).toBe(s.semantic[i]! * PANOPTIC_DIVISOR);
        }
      }
    }
    expect(occluded).toBeGreaterThanOrEqual(0);
  });

  it('honours maxOverlap 0, colours and a flat background', () => {
    const scenes = shapesScenes(10, { maxOverlap: 0, minObjects: 3, maxObjects: 3, colors: ['red'], stuff: false, noise: 0, generator: new Generator(1) });
    for (const s of scenes) {
      expect(s.objects.every((o) => o.color === 'red')).toBe(true);
      for (const o of s.objects) {
        const [x1, y1] = o.box;
        expect(Array.from(s.image.slice((y1 * s.width + x1) * 3, (y1 * s.width + x1) * 3 + 3)).length).toBe(3);
      }
      expect(s.semantic.every((v) => v <= SHAPE_CLASSES.length)).toBe(true); // no stuff
    }
  });

  it('stacks into tensors', () => {
    const t = shapesToTensors(shapesScenes(3, { size: 64, generator: new Generator(2) }));
    expect(t.images.shape).toEqual([3, 64, 64, 3]);
    expect(t.semantic.dtype).toBe('int32');
    expect(t.boxes[0]!.shape[1]).toBe(4);
    expect(t.masks[0]!.shape.slice(1)).toEqual([64, 64]);
    tf.dispose([t.images, t.semantic, ...t.boxes, ...t.labels, ...t.masks]);
  });

  it('rejects bad options', () => {
    expect(() => generateShapesScene({ size: 8 })).toThrow('generateShapesScene: options.size must be');
    expect(() => generateShapesScene({ minObjects: 3, maxObjects: 2 })).toThrow('generateShapesScene: options.maxObjects must be');
    expect(() => generateShapesScene({ colors: ['teal'] })).toThrow('generateShapesScene: options.colors must be a non-empty list of red');
    expect(() => shapesToTensors([])).toThrow('shapesToTensors: scenes must be a non-empty array');
  });
});
