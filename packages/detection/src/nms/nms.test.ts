import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T, arr, fixtures, randomBoxes, rng, scoped } from '../../test/helpers.js';
import { batchedNms } from './batched-nms.js';
import { nms } from './nms.js';

/** The obviously correct O(N²) greedy NMS (torchvision's `_reference_nms`), float64. */
function referenceNms(b: ArrayLike<number>, s: ArrayLike<number>, thr: number): number[] {
  const order = Array.from({ length: s.length }, (_, i) => i).sort((i, j) => s[j]! - s[i]! || i - j);
  const keep: number[] = [];
  const dead = new Set<number>();
  for (const i of order) {
    if (dead.has(i)) continue;
    keep.push(i);
    for (const j of order) {
      if (dead.has(j) || j === i) continue;
      const w = Math.min(b[4 * i + 2]!, b[4 * j + 2]!) - Math.max(b[4 * i]!, b[4 * j]!);
      const h = Math.min(b[4 * i + 3]!, b[4 * j + 3]!) - Math.max(b[4 * i + 1]!, b[4 * j + 1]!);
      const inter = Math.max(w, 0) * Math.max(h, 0);
      const ai = (b[4 * i + 2]! - b[4 * i]!) * (b[4 * i + 3]! - b[4 * i + 1]!);
      const aj = (b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!);
      if (inter / (ai + aj - inter) > thr) dead.add(j);
    }
  }
  return keep;
}

describe('nms', () => {
  it('keeps the best of each overlapping group, by decreasing score', () =>
    scoped(async () => {
      const boxes = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 10.5]]);
      const keep = await nms(boxes, tf.tensor1d([0.8, 0.9, 0.7, 0.1]), 0.5);
      expect(keep.dtype).toBe('int32');
      expect(arr(keep)).toEqual([1, 2]);
      expect(arr(await nms(tf.zeros([0, 4]), tf.zeros([0]), 0.5))).toEqual([]);
    }));

  it('matches torchvision.ops.nms on larger sets (fixtures)', () =>
    scoped(async () => {
      for (const c of fixtures.nms) {
        expect(arr(await nms(T(c.boxes), T(c.scores), c.thr))).toEqual(c.keep.data);
      }
    }));

  it('matches the reference on many random sets, thresholds and box sizes (grid and brute-force paths)', () =>
    scoped(async () => {
      const next = rng(11);
      for (let trial = 0; trial < 60; trial++) {
        const n = [5, 40, 120, 700][trial % 4]!;
        const span = 50 + next() * 400;
        const b = randomBoxes(next, n, span, 1, 10 + next() * 120);
        const s = Float32Array.from({ length: n }, () => next());
        const thr = [0, 0.1, 0.3, 0.5, 0.7, 0.95, 1, -0.5][trial % 8]!;
        const keep = await nms(tf.tensor2d(b, [n, 4]), tf.tensor1d(s), thr);
        expect(arr(keep), `trial ${trial} (n ${n}, thr ${thr})`).toEqual(referenceNms(b, s, thr));
      }
    }));

  it('handles identical boxes, zero-area boxes and ties in score (lower index first)', () =>
    scoped(async () => {
      const b = tf.tensor2d([[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 4, 4], [0, 0, 4, 4], [1, 1, 9, 9]]);
      const s = tf.tensor1d([0.5, 0.5, 0.9, 0.9, 0.2]);
      // the zero-area pair has IoU 0/0 = NaN, which suppresses nothing (as torchvision)
      expect(arr(await nms(b, s, 0.5))).toEqual([2, 0, 1, 4]);
    }));

  it('applies scoreThreshold, preNmsTopK and topK', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]]);
      const s = tf.tensor1d([0.1, 0.9, 0.5, 0.7]);
      expect(arr(await nms(b, s, 0.5, { scoreThreshold: 0.5 }))).toEqual([1, 3]);
      expect(arr(await nms(b, s, 0.5, { preNmsTopK: 3 }))).toEqual([1, 3, 2]);
      expect(arr(await nms(b, s, 0.5, { topK: 2 }))).toEqual([1, 3]);
      expect(arr(await nms(b, s, 0.5, { topK: 0 }))).toEqual([]);
    }));

  it('yields to the event loop during a long run and gives the same answer', () =>
    scoped(async () => {
      const next = rng(5);
      const n = 6000;
      const b = tf.tensor2d(randomBoxes(next, n, 1000, 4, 60), [n, 4]);
      const s = tf.tensor1d(Float32Array.from({ length: n }, () => next()));
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const sliced = arr(await nms(b, s, 0.5, { sliceMs: 0.01 }));
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0);
      expect(sliced).toEqual(arr(await nms(b, s, 0.5)));
    }));

  it('rejects bad shapes and values, naming the argument and first offending row', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 1, 1], [0, 0, 2, 2], [3, 3, 4, 4]]);
      await expect(nms(tf.zeros([3, 5]), tf.zeros([3]), 0.5)).rejects.toThrow(/nms: boxes must be shape \[N, 4\], got shape \[3, 5\]/);
      await expect(nms(b, tf.zeros([2]), 0.5)).rejects.toThrow(/nms: scores must be shape \[N\] with N = 3, got shape \[2\]/);
      await expect(nms(b, tf.tensor1d([0.1, NaN, 0.3]), 0.5)).rejects.toThrow(/nms: scores must be finite scores, got NaN at index 1/);
      await expect(nms(b, tf.tensor1d([0.1, 0.2, -Infinity]), 0.5)).rejects.toThrow(/got -Infinity at index 2/);
      await expect(nms(tf.tensor2d([[0, 0, 1, 1], [4, 0, 2, 2]]), tf.zeros([2]), 0.5)).rejects.toThrow(
        /nms: boxes must be xyxy rows with x2 >= x1 and y2 >= y1, got \[4, 0, 2, 2\] at row 1/,
      );
      await expect(nms(b, tf.zeros([3]), NaN)).rejects.toThrow(/nms: iouThreshold must be a finite number, got NaN/);
      await expect(nms(b, tf.zeros([3]), 0.5, { topK: 1.5 })).rejects.toThrow(/nms: options.topK must be an integer >= 0, got 1.5/);
    }));
});

describe('batchedNms', () => {
  it('suppresses only within a category', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [1, 1, 11, 11], [0, 0, 10, 10]]);
      const keep = await batchedNms(b, tf.tensor1d([0.9, 0.8, 0.7, 0.6]), tf.tensor1d([0, 0, 5, -3], 'int32'), 0.5);
      expect(arr(keep)).toEqual([0, 2, 3]);
    }));

  it('matches torchvision.ops.batched_nms (fixtures) and per-class reference NMS', () =>
    scoped(async () => {
      for (const c of fixtures.nms) {
        expect(arr(await batchedNms(T(c.boxes), T(c.scores), T(c.idxs), c.thr))).toEqual(c.batched_keep.data);
      }
      const next = rng(9);
      for (let trial = 0; trial < 10; trial++) {
        const n = 300;
        const b = randomBoxes(next, n, 200, 2, 60);
        const s = Float32Array.from({ length: n }, () => next());
        const cls = Int32Array.from({ length: n }, () => Math.floor(next() * 12) * 7);
        const want: number[] = [];
        for (const k of new Set(cls)) {
          const members = [...cls.keys()].filter((i) => cls[i] === k);
          const sub = referenceNms(
            members.flatMap((i) => Array.from(b.subarray(4 * i, 4 * i + 4))),
            members.map((i) => s[i]!),
            0.4,
          );
          want.push(...sub.map((t) => members[t]!));
        }
        want.sort((i, j) => s[j]! - s[i]! || i - j);
        const got = await batchedNms(tf.tensor2d(b, [n, 4]), tf.tensor1d(s), tf.tensor1d(cls, 'int32'), 0.4);
        expect(arr(got)).toEqual(want);
      }
    }));

  it('caps the merged result with topK and rejects non-integer categories', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]]);
      const s = tf.tensor1d([0.3, 0.9, 0.5]);
      expect(arr(await batchedNms(b, s, tf.tensor1d([0, 1, 2], 'int32'), 0.5, { topK: 2 }))).toEqual([1, 2]);
      await expect(batchedNms(b, s, tf.tensor1d([0, 1.5, 2]), 0.5)).rejects.toThrow(/batchedNms: idxs must be integer category ids, got 1.5 at index 1/);
      await expect(batchedNms(b, s, tf.tensor1d([0, 1], 'int32'), 0.5)).rejects.toThrow(/batchedNms: idxs must be shape \[N\] with N = 3, got shape \[2\]/);
    }));
});
