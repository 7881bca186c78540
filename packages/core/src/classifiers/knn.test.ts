import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { Generator } from '../random/generator.js';
import { KNNClassifier, knnPredict } from './knn.js';
import { buildIndex, disposeIndex, type KNNMetric } from './_neighbors.js';

type Case = { metric: KNNMetric; k: number; train_x: JsonTensor; train_y: JsonTensor; test_x: JsonTensor; labels: JsonTensor; kn_distances: JsonTensor; kn_indices: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_classifiers.json', import.meta.url), 'utf8')) as { knn: Case[] };

describe('KNNClassifier', () => {
  for (const c of fx.knn) {
    for (const batchSize of [0, 7]) {
      it(`matches sklearn brute force (${c.metric}, k = ${c.k}, batchSize ${batchSize || 'auto'})`, async () => {
        const [tx, ty, qx] = [fromJson(c.train_x), fromJson(c.train_y), fromJson(c.test_x)];
        const knn = await new KNNClassifier({ k: c.k, metric: c.metric, batchSize }).fit(tx, ty);
        const pred = await knn.predict(qx);
        expect(Array.from(pred.dataSync())).toEqual(c.labels.data);
        const { distances, indices } = await knn.kneighbors(qx);
        expect(Array.from(indices.dataSync())).toEqual(c.kn_indices.data);
        tf.tidy(() => expectClose(distances, fromJson(c.kn_distances), { atol: 1e-4, rtol: 1e-4 }));
        tf.dispose([tx, ty, qx, pred, distances, indices]);
        knn.dispose();
      });
    }
  }

  it('skips training columns that are all zero without changing neighbours or distances', async () => {
    // 30 training rows use only features 0 and 2 of 40; queries also have values elsewhere
    const rows = Array.from({ length: 30 }, (_, i) => Array.from({ length: 40 }, (_, d) => (d === 0 ? Math.sin(i) : d === 2 ? Math.cos(i * 1.7) : 0)));
    const queries = Array.from({ length: 5 }, (_, i) => Array.from({ length: 40 }, (_, d) => Math.sin(i * 3 + d * 0.61)));
    const tx = tf.tensor2d(rows);
    const ty = tf.tensor1d(rows.map((_, i) => i % 3), 'int32');
    const qx = tf.tensor2d(queries);
    const knn = await new KNNClassifier({ k: 3 }).fit(tx, ty);
    const { distances, indices } = await knn.kneighbors(qx);
    const want = queries.map((q) => rows.map((r, j) => [Math.hypot(...q.map((v, d) => v - r[d]!)), j] as const).sort((a, b) => a[0] - b[0]).slice(0, 3));
    expect(Array.from(indices.dataSync())).toEqual(want.flatMap((w) => w.map(([, j]) => j)));
    tf.tidy(() => expectClose(distances, want.flatMap((w) => w.map(([v]) => v)), { atol: 1e-5, rtol: 1e-5 }));
    tf.dispose([tx, ty, qx, distances, indices]);
    knn.dispose();
  });

  it('large structured sets (bounded exact search) give the brute-force float64 answer, duplicates included', async () => {
    // 1500 rows in 80-D: a 6-D signal plus small noise (most variance in few directions), with exact duplicates
    const g = new Generator(21);
    const n = 1500;
    const dims = 80;
    const basis = Array.from({ length: 6 }, () => Array.from({ length: dims }, () => g.normal()));
    const row = (): number[] => {
      const c = basis.map(() => g.normal() * 3);
      return Array.from({ length: dims }, (_, d) => basis.reduce((s, b, i) => s + c[i]! * b[d]!, 0) + 0.3 * g.normal());
    };
    const rows = Array.from({ length: n }, row);
    for (let i = 0; i < 40; i++) rows[n - 1 - i] = [...rows[i * 7]!]; // duplicates: ties broken by the lower index
    const queries = [...Array.from({ length: 60 }, row), rows[7]!.map((v) => v + 1e-3), new Array(dims).fill(0)];
    const labels = rows.map((_, i) => (i * 7) % 5);
    const k = 6;
    const want = queries.map((q) =>
      rows
        .map((r, j) => [r.reduce((s, v, d) => s + (q[d]! - v) ** 2, 0), j] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .slice(0, k),
    );
    const tx = tf.tensor2d(rows);
    const ty = tf.tensor1d(labels, 'int32');
    const qx = tf.tensor2d(queries);
    const index = await buildIndex(tx, 'l2');
    expect(index.pruned, 'this set takes the bounded search').not.toBeNull();
    disposeIndex(index);
    const knn = await new KNNClassifier({ k }).fit(tx, ty);
    const { distances, indices } = await knn.kneighbors(qx);
    expect(Array.from(indices.dataSync())).toEqual(want.flatMap((w) => w.map(([, j]) => j)));
    tf.tidy(() => expectClose(distances, want.flatMap((w) => w.map(([v]) => Math.sqrt(v))), { atol: 1e-4, rtol: 1e-5 }));
    const pred = await knn.predict(qx);
    const votes = want.map((w) => {
      const c = [0, 0, 0, 0, 0];
      w.forEach(([, j]) => c[labels[j]!]!++);
      return c.indexOf(Math.max(...c));
    });
    expect(Array.from(pred.dataSync())).toEqual(votes);
    // a large k takes the brute-force fallback on the same index: the same neighbour sets
    const big = await knn.kneighbors(qx, 70);
    const bigIdx = big.indices.arraySync() as number[][];
    queries.forEach((q, i) => {
      const ref = rows.map((r, j) => [r.reduce((s, v, d) => s + (q[d]! - v) ** 2, 0), j] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const cut = ref[69]![0];
      if (ref[70]![0] - cut > 1e-3 * cut) expect([...bigIdx[i]!].sort((a, b) => a - b)).toEqual(ref.slice(0, 70).map(([, j]) => j).sort((a, b) => a - b));
    });
    tf.dispose([big.distances, big.indices]);
    // the same data at a tiny scale: the bound's margin is relative, so nothing changes
    const [sx, sq] = [tf.mul(tx, 1e-5), tf.mul(qx, 1e-5)];
    const small = await new KNNClassifier({ k }).fit(sx, ty);
    const tiny = await small.kneighbors(sq);
    expect(Array.from(tiny.indices.dataSync())).toEqual(want.flatMap((w) => w.map(([, j]) => j)));
    tf.dispose([tx, ty, qx, distances, indices, pred, sx, sq, tiny.distances, tiny.indices]);
    knn.dispose();
    small.dispose();
  });

  it('breaks vote ties towards the smallest label', async () => {
    // query at 0: neighbours at distances 1, 2, 3, 4 with labels 2, 1, 1, 2 → k = 4 ties 2 vs 2 → label 1
    const tx = tf.tensor2d([[1], [2], [3], [4]]);
    const ty = tf.tensor1d([2, 1, 1, 2], 'int32');
    const q = tf.tensor2d([[0]]);
    const p4 = await knnPredict(tx, ty, q, { k: 4 });
    const p1 = await knnPredict(tx, ty, q, { k: 1 });
    expect(Array.from(p4.dataSync())).toEqual([1]);
    expect(Array.from(p1.dataSync())).toEqual([2]);
    tf.dispose([tx, ty, q, p4, p1]);
  });

  it('reports progress per batch and predicts an empty test set', async () => {
    const tx = tf.tensor2d([[0, 0], [1, 1]]);
    const ty = tf.tensor1d([0, 1], 'int32');
    const knn = await new KNNClassifier({ batchSize: 2 }).fit(tx, ty);
    const q = tf.tensor2d([[0, 0.1], [1, 0.9], [0.2, 0], [2, 2], [1, 1]]);
    const seen: number[] = [];
    const pred = await knn.predict(q, { onProgress: (done) => seen.push(done) });
    expect(Array.from(pred.dataSync())).toEqual([0, 1, 0, 1, 1]);
    expect(seen).toEqual([2, 4, 5]);
    const empty = tf.zeros([0, 2]);
    const none = await knn.predict(empty);
    expect(none.shape).toEqual([0]);
    tf.dispose([tx, ty, q, pred, empty, none]);
    knn.dispose();
  });

  it('keeps brute force where the bound would not help (spread-out variance)', async () => {
    const g = new Generator(2);
    const tx = tf.tensor2d(Array.from({ length: 1100 }, () => Array.from({ length: 64 }, () => g.random())));
    const index = await buildIndex(tx, 'l2');
    expect(index.pruned).toBeNull();
    expect(index.augmented).not.toBeNull();
    disposeIndex(index);
    tx.dispose();
  });

  it('rejects bad input', async () => {
    const tx = tf.zeros([3, 2]);
    const ty = tf.tensor1d([0, 1, -1], 'int32');
    await expect(new KNNClassifier().fit(tx, ty)).rejects.toThrow('KNNClassifier.fit: y must be class labels >= 0, got -1 at index 2');
    const ok = tf.tensor1d([0, 1, 1], 'int32');
    const knn = await new KNNClassifier().fit(tx, ok);
    const q = tf.zeros([1, 3]);
    await expect(knn.predict(q)).rejects.toThrow('KNNClassifier.predict: x must be shape [*, 2], got shape [1, 3]');
    const q2 = tf.zeros([1, 2]);
    await expect(knn.predict(q2, { k: 4 })).rejects.toThrow('KNNClassifier.predict: k must be at most the 3 training rows, got 4');
    expect(() => new KNNClassifier({ metric: 'cosine' as KNNMetric })).toThrow("KNNClassifier: options.metric must be one of 'l2', 'l1', got 'cosine'");
    const short = tf.tensor1d([0, 1], 'int32');
    await expect(knnPredict(tx, short, q2)).rejects.toThrow('KNNClassifier.fit: y must be shape [N] with N = 3, got shape [2]');
    tf.dispose([tx, ty, ok, q, q2, short]);
    knn.dispose();
  });
});
