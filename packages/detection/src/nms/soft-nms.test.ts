import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { arr, randomBoxes, rng, scoped } from '../../test/helpers.js';
import { softNms } from './soft-nms.js';

function iou(b: ArrayLike<number>, i: number, j: number): number {
  const w = Math.max(0, Math.min(b[4 * i + 2]!, b[4 * j + 2]!) - Math.max(b[4 * i]!, b[4 * j]!));
  const h = Math.max(0, Math.min(b[4 * i + 3]!, b[4 * j + 3]!) - Math.max(b[4 * i + 1]!, b[4 * j + 1]!));
  const u = (b[4 * i + 2]! - b[4 * i]!) * (b[4 * i + 3]! - b[4 * i + 1]!) + (b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!) - w * h;
  return u > 0 ? (w * h) / u : 0;
}

/** The Soft-NMS pseudo-code of ops/detection.md, literally. */
function reference(b: ArrayLike<number>, s0: ArrayLike<number>, linear: boolean, sigma: number, thr: number, sthr: number): [number[], number[]] {
  const S = Array.from(s0);
  let active = S.map((_, i) => i).filter((i) => S[i]! >= sthr);
  const keep: number[] = [];
  const kept: number[] = [];
  while (active.length) {
    let m = active[0]!;
    for (const i of active) if (S[i]! > S[m]! || (S[i] === S[m] && i < m)) m = i;
    keep.push(m);
    kept.push(S[m]!);
    active = active.filter((i) => i !== m);
    for (const i of active) {
      const o = iou(b, m, i);
      S[i] = S[i]! * (linear ? (o > thr ? 1 - o : 1) : Math.exp(-(o * o) / sigma));
    }
    active = active.filter((i) => S[i]! >= sthr);
  }
  return [keep, kept];
}

describe('softNms', () => {
  it('decays overlapping scores instead of discarding (gaussian)', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]);
      const { keep, scores } = await softNms(b, tf.tensor1d([0.9, 0.8, 0.7]));
      expect(arr(keep)).toEqual([0, 2, 1]);
      const o = 81 / 119;
      expectClose(scores, [0.9, 0.7, 0.8 * Math.exp(-(o * o) / 0.5)], { atol: 1e-6 });
    }));

  it('matches the reference algorithm on random sets (both methods, several thresholds)', () =>
    scoped(async () => {
      const next = rng(21);
      for (let trial = 0; trial < 24; trial++) {
        const n = 10 + Math.floor(next() * 150);
        const b = randomBoxes(next, n, 150, 5, 60);
        const s = Float32Array.from({ length: n }, () => 0.01 + next());
        const linear = trial % 2 === 1;
        const sigma = [0.5, 0.3, 1][trial % 3]!;
        const thr = [0.3, 0.5][trial % 2]!;
        const sthr = [0.001, 0.05, 0.3][trial % 3]!;
        const [wantKeep, wantScores] = reference(b, s, linear, sigma, thr, sthr);
        const r = await softNms(tf.tensor2d(b, [n, 4]), tf.tensor1d(s), { method: linear ? 'linear' : 'gaussian', sigma, iouThreshold: thr, scoreThreshold: sthr });
        expect(arr(r.keep), `trial ${trial}`).toEqual(wantKeep);
        expectClose(r.scores, wantScores, { atol: 1e-6 });
      }
    }));

  it('stops at topK, handles empty input, and validates', () =>
    scoped(async () => {
      const b = tf.tensor2d([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]]);
      const s = tf.tensor1d([0.3, 0.9, 0.5]);
      expect(arr((await softNms(b, s, { topK: 2 })).keep)).toEqual([1, 2]);
      const e = await softNms(tf.zeros([0, 4]), tf.zeros([0]));
      expect([e.keep.shape, e.scores.shape]).toEqual([[0], [0]]);
      await expect(softNms(b, s, { method: 'hard' as 'linear' })).rejects.toThrow(/softNms: options.method must be one of 'gaussian', 'linear', got 'hard'/);
      await expect(softNms(b, s, { sigma: 0 })).rejects.toThrow(/softNms: options.sigma must be a finite number > 0, got 0/);
      await expect(softNms(b, tf.tensor1d([0.1, Infinity, 0.2]))).rejects.toThrow(/softNms: scores must be finite scores, got Infinity at index 1/);
    }));
});

describe('softNms degenerate boxes', () => {
  it('treats two empty boxes as not overlapping (no NaN scores)', () =>
    scoped(async () => {
      const r = await softNms(tf.tensor2d([[5, 5, 5, 5], [5, 5, 5, 5]]), tf.tensor1d([0.9, 0.8]));
      expect(arr(r.keep)).toEqual([0, 1]);
      expectClose(r.scores, [0.9, 0.8]);
    }));
});
