import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { DataLoader } from './data-loader.js';
import { ConcatDataset, MapDataset, Subset, TensorDataset, type Dataset } from './dataset.js';
import { defaultCollate } from './collate.js';

async function collect<B>(loader: AsyncIterable<B>, read: (b: B) => number[][]): Promise<number[][][]> {
  const out: number[][][] = [];
  for await (const b of loader) {
    out.push(read(b));
    tf.dispose(b as tf.TensorContainer);
  }
  return out;
}

describe('TensorDataset', () => {
  it('returns rows of each tensor and gathers batches', () => {
    const x = tf.tensor2d([[0, 1], [2, 3], [4, 5]]);
    const y = tf.tensor1d([7, 8, 9], 'int32');
    const ds = new TensorDataset([x, y]);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(Array.from(xi!.dataSync())).toEqual([2, 3]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.dataSync()[0]).toBe(8);
    const [xb, yb] = ds.getBatch(Int32Array.from([2, 0]));
    expect(xb!.arraySync()).toEqual([[4, 5], [0, 1]]);
    expect(Array.from(yb!.dataSync())).toEqual([9, 7]);
    tf.dispose([xi!, yi!, xb!, yb!, x, y]);
  });

  it('supports records and rejects mismatched first dimensions and bad indices', () => {
    const a = tf.zeros([4, 2]);
    const b = tf.zeros([3]);
    expect(() => new TensorDataset([a, b])).toThrow('TensorDataset: tensors[1] must be first dimension N = 4 (as tensors[0]), got shape [3]');
    const ds = new TensorDataset({ image: a });
    expect(() => ds.get(4)).toThrow('TensorDataset.get: index must be an integer in [0, 4), got 4');
    const s = ds.get(0);
    expect(s.image!.shape).toEqual([2]);
    tf.dispose([a, b, s.image!]);
  });
});

describe('DataLoader', () => {
  const numbers: Dataset<number> = { length: 10, get: (i) => i };

  it('batches in order, with and without dropLast', async () => {
    const read = (b: tf.Tensor) => [Array.from(b.dataSync())];
    const keep = await collect(new DataLoader(numbers, { batchSize: 4 }), read);
    expect(keep.map((b) => b[0])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const drop = await collect(new DataLoader(numbers, { batchSize: 4, dropLast: true }), read);
    expect(drop.map((b) => b[0])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(numbers, { batchSize: 4 }).length).toBe(3);
    expect(new DataLoader(numbers, { batchSize: 4, dropLast: true }).length).toBe(2);
  });

  it('shuffles with a seed: reproducible, a new order each epoch, every sample once', async () => {
    const mk = () => new DataLoader(numbers, { batchSize: 3, shuffle: true, generator: new Generator(5) });
    const a = mk();
    const b = mk();
    const read = (t: tf.Tensor) => [Array.from(t.dataSync())];
    const a1 = (await collect(a, read)).flatMap((x) => x[0]!);
    const a2 = (await collect(a, read)).flatMap((x) => x[0]!);
    const b1 = (await collect(b, read)).flatMap((x) => x[0]!);
    expect(a1).toEqual(b1);
    expect(a1).not.toEqual(a2);
    expect([...a1].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('uses the TensorDataset fast path and per-sample transforms without leaking', async () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 24, 1, 'float32'), [6, 2, 2, 1])); // [N, H, W, C]
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
    const ds = new TensorDataset([x, y]);
    const shapes: number[][] = [];
    for await (const [xb, yb] of new DataLoader(ds, { batchSize: 4 })) {
      shapes.push(xb!.shape);
      expect(yb!.dtype).toBe('int32');
      tf.dispose([xb!, yb!]);
    }
    expect(shapes).toEqual([[4, 2, 2, 1], [2, 2, 2, 1]]);
    const doubled = new MapDataset(ds, ([xi, yi]) => [tf.mul(xi!, 2), yi!] as [tf.Tensor, tf.Tensor]);
    const loader = new DataLoader(doubled, { batchSize: 6, transform: ([xb, yb]) => [tf.add(xb!, 1), yb!] as [tf.Tensor, tf.Tensor] });
    for await (const [xb, yb] of loader) {
      expect(Array.from(xb!.dataSync()).slice(0, 5)).toEqual([1, 3, 5, 7, 9]);
      expect(Array.from(yb!.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
      tf.dispose([xb!, yb!]);
    }
    tf.dispose([x, y]);
  });

  it('awaits async datasets and collates records', async () => {
    const ds: Dataset<{ image: tf.Tensor; label: number; name: string }> = {
      length: 3,
      get: async (i) => ({ image: tf.fill([2, 2, 1], i), label: i * 2, name: `s${i}` }),
    };
    const batches = [];
    for await (const b of new DataLoader(ds, { batchSize: 2 })) {
      batches.push({ shape: b.image.shape, label: Array.from(b.label.dataSync()), name: b.name });
      tf.dispose([b.image, b.label]);
    }
    expect(batches).toEqual([
      { shape: [2, 2, 2, 1], label: [0, 2], name: ['s0', 's1'] },
      { shape: [1, 2, 2, 1], label: [4], name: ['s2'] },
    ]);
  });

  it('disposes samples when the dataset or collate fails', async () => {
    const ds: Dataset<tf.Tensor> = {
      length: 4,
      get: (i) => {
        if (i === 3) throw new Error('broken sample');
        return tf.zeros([2]);
      },
    };
    const loader = new DataLoader(ds, { batchSize: 4 });
    await expect(async () => {
      for await (const b of loader) tf.dispose(b);
    }).rejects.toThrow('broken sample');
    const bad = new DataLoader({ length: 2, get: (i: number) => tf.zeros([i + 1]) }, { batchSize: 2 });
    await expect(async () => {
      for await (const b of bad) tf.dispose(b);
    }).rejects.toThrow('defaultCollate: samples[1] must be shape [1] dtype float32 (as sample 0), got shape [2] dtype float32');
  });

  it('rejects bad options', () => {
    expect(() => new DataLoader(numbers, { batchSize: 0 })).toThrow('DataLoader: opts.batchSize must be an integer >= 1, got 0');
    expect(() => new DataLoader(null as unknown as Dataset<number>)).toThrow(/DataLoader: dataset must be a Dataset/);
  });
});

describe('Subset, ConcatDataset, defaultCollate', () => {
  it('index into their parents', async () => {
    const a: Dataset<number> = { length: 3, get: (i) => 10 + i };
    const b: Dataset<number> = { length: 2, get: (i) => 20 + i };
    const cat = new ConcatDataset([a, b]);
    expect(Array.from({ length: cat.length }, (_, i) => cat.get(i))).toEqual([10, 11, 12, 20, 21]);
    const sub = new Subset(cat, [4, 0]);
    expect([sub.get(0), sub.get(1)]).toEqual([21, 10]);
    expect(() => new Subset(cat, [5])).toThrow('Subset: indices[0] must be an integer in [0, 5), got 5');
    const x = tf.tensor2d([[1], [2], [3]]);
    const s = new Subset(new TensorDataset([x]), [2, 1]);
    const [xb] = (await s.getBatch!(Int32Array.from([0, 1]))) as tf.Tensor[];
    expect(Array.from(xb!.dataSync())).toEqual([3, 2]);
    tf.dispose([x, xb!]);
  });

  it('collates numbers, typed arrays and tuples', () => {
    const batch = defaultCollate([
      [1.5, Float32Array.from([1, 2]), true],
      [2, Float32Array.from([3, 4]), false],
    ] as [number, Float32Array, boolean][]);
    expect(batch[0].dtype).toBe('float32');
    expect(batch[1].arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(batch[2].dtype).toBe('bool');
    tf.dispose(batch as tf.Tensor[]);
    expect(() => defaultCollate([])).toThrow('defaultCollate: samples must be a non-empty array of samples, got an empty array');
  });
});
