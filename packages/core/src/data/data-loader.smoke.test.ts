import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { DataLoader } from './data-loader.js';
import { MapDataset, TensorDataset } from './dataset.js';

describe('DataLoader on this backend', () => {
  it('gathers shuffled batches and stacks transformed samples', async () => {
    const x = tf.tensor4d([0, 1, 2, 3, 4, 5], [6, 1, 1, 1]); // [N, H, W, C]
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
    const ds = new TensorDataset([x, y]);
    const seen: number[] = [];
    for await (const [xb, yb] of new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(0) })) {
      const [xv, yv] = [Array.from(await xb!.data()), Array.from(await yb!.data())];
      expect(xv).toEqual(yv); // rows stay paired
      seen.push(...yv);
      tf.dispose([xb!, yb!]);
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const doubled = new MapDataset(ds, ([xi, yi]) => [tf.mul(xi!, 2), yi!] as [tf.Tensor, tf.Tensor]);
    for await (const [xb, yb] of new DataLoader(doubled, { batchSize: 6 })) {
      expect(Array.from(await xb!.data())).toEqual([0, 2, 4, 6, 8, 10]);
      tf.dispose([xb!, yb!]);
    }
    tf.dispose([x, y]);
  });
});
