import { FoveaError } from '../errors/fovea-error.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkNumber, describeValue } from '../validate/values.js';
import { defaultCollate, type Collated } from './collate.js';
import type { Dataset } from './dataset.js';
import { disposeExcept, type MaybePromise } from './_internal/tensors.js';

/** Options for {@link DataLoader}. @category Data */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default `1`). */
  batchSize?: number;
  /** Draw a new seeded permutation of the dataset for every epoch (default `false`: in order). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default `false`). */
  dropLast?: boolean;
  /** The generator for shuffling, advanced once per epoch (default: {@link defaultGenerator} at iteration time). */
  generator?: Generator;
  /**
   * Merges a list of samples into a batch (default {@link defaultCollate}, or the
   * dataset's `getBatch` fast path when it has one). Tensors of the samples that
   * it does not return are disposed afterwards.
   */
  collate?: (samples: T[]) => MaybePromise<B>;
  /**
   * A batch-level transform applied after collating, e.g. augmentation of the
   * whole `[B, H, W, C]` batch. Tensors of its input batch that it does not
   * return are disposed afterwards. Default: none.
   */
  transform?: (batch: B, batchIndex: number) => MaybePromise<B>;
}

/**
 * Iterates over a {@link Dataset} in batches, as PyTorch's `DataLoader`:
 * batching, per-epoch seeded shuffling, `dropLast`, collating and batch
 * transforms, with `for await`.
 *
 * **Ownership:** every batch a loader yields is new and belongs to the
 * consumer, who disposes it (`tf.dispose(batch)` handles nested arrays and
 * records) — the loader keeps no reference to it. Intermediate sample
 * tensors are disposed by the loader. Each `for await` loop is one epoch; with
 * `shuffle` each epoch draws a new permutation from the generator, so a seed
 * reproduces the whole sequence of epochs.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DataLoader, TensorDataset, Generator } from '@fovea/core';
 * const ds = new TensorDataset([tf.randomNormal([100, 28, 28, 1]), tf.zeros([100], 'int32')]);
 * const loader = new DataLoader(ds, { batchSize: 32, shuffle: true, generator: new Generator(0) });
 * loader.length; // 4 batches per epoch (32, 32, 32, 4)
 * for await (const [x, y] of loader) {
 *   // x: `[32, 28, 28, 1]`, y: `[32]`
 *   tf.dispose([x, y]); // the batch is yours to dispose
 * }
 * ```
 * @category Data
 */
export class DataLoader<T, B = Collated<T>> implements AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator | undefined;
  private readonly collate: ((samples: T[]) => MaybePromise<B>) | undefined;
  private readonly transform: ((batch: B, batchIndex: number) => MaybePromise<B>) | undefined;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length)) {
      throw new FoveaError({ op: 'DataLoader', arg: 'dataset', expected: 'a Dataset (length and get(i))', got: describeValue(dataset) });
    }
    this.dataset = dataset;
    this.batchSize = checkNumber('DataLoader', 'opts.batchSize', opts.batchSize ?? 1, { integer: true, min: 1 });
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    for (const k of ['collate', 'transform'] as const) {
      if (opts[k] !== undefined && typeof opts[k] !== 'function') {
        throw new FoveaError({ op: 'DataLoader', arg: `opts.${k}`, expected: 'a function', got: describeValue(opts[k]) });
      }
    }
    this.collate = opts.collate;
    this.transform = opts.transform;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * The sample indices of each batch of one epoch (draws the epoch's
   * permutation from the generator when shuffling, as iterating does).
   */
  batchIndices(): Int32Array[] {
    const n = this.dataset.length;
    let order: Int32Array;
    if (this.shuffle) {
      order = (this.generator ?? defaultGenerator()).permutation(n);
    } else {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    const batches: Int32Array[] = [];
    for (let b = 0; b < this.length; b++) batches.push(order.slice(b * this.batchSize, (b + 1) * this.batchSize));
    return batches;
  }

  /** One epoch of batches. Each yielded batch is owned by the consumer. */
  async *[Symbol.asyncIterator](): AsyncGenerator<B, void, undefined> {
    const batches = this.batchIndices();
    for (let b = 0; b < batches.length; b++) {
      let batch = await this.makeBatch(batches[b]!);
      if (this.transform) {
        const input = batch;
        try {
          batch = await this.transform(input, b);
        } catch (e) {
          disposeExcept(input, undefined);
          throw e;
        }
        disposeExcept(input, batch);
      }
      yield batch;
    }
  }

  private async makeBatch(indices: Int32Array): Promise<B> {
    if (!this.collate && this.dataset.getBatch) return (await this.dataset.getBatch(indices)) as B;
    const settled = await Promise.allSettled(Array.from(indices, async (i) => this.dataset.get(i)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const samples = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (failed) {
      disposeExcept(samples, undefined);
      throw failed.reason;
    }
    try {
      const batch = this.collate ? await this.collate(samples) : (defaultCollate(samples) as B);
      disposeExcept(samples, batch);
      return batch;
    } catch (e) {
      disposeExcept(samples, undefined);
      throw e;
    }
  }
}
