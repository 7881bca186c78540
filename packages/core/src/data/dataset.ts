import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { describeValue } from '../validate/values.js';
import { andThen, disposeExcept, type MaybePromise } from './_internal/tensors.js';

/**
 * A map-style dataset, as PyTorch's `torch.utils.data.Dataset`: a length and a
 * `get(i)` that returns sample `i` (synchronously, or as a promise for data
 * that is decoded or read on demand). Any object of this shape works with
 * {@link DataLoader}, {@link randomSplit} and {@link Subset}.
 *
 * Ownership: tensors in a sample returned by `get` belong to the caller (a
 * {@link DataLoader} disposes them once they are collated into a batch).
 *
 * @example
 * ```ts
 * import type { Dataset } from '@fovea/core';
 * const squares: Dataset<number> = { length: 4, get: (i) => i * i };
 * squares.get(3); // 9
 * ```
 * @category Data
 */
export interface Dataset<T> {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (`0 <= index < length`). */
  get(index: number): MaybePromise<T>;
  /**
   * Optional fast path: the already collated batch of the samples at `indices`
   * (what `defaultCollate` would make of them). {@link DataLoader} uses it when
   * no custom `collate` is given; {@link TensorDataset} implements it with one
   * `tf.gather` per tensor.
   */
  getBatch?(indices: Int32Array): MaybePromise<unknown>;
}

/** @internal Throws unless `index` is an integer in `[0, length)`. */
export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new FoveaError({ op, arg: 'index', expected: `an integer in [0, ${length})`, got: describeValue(index) });
  }
}

/** What a {@link TensorDataset} holds: a list or a record of tensors sharing their first dimension. @category Data */
export type TensorStructure = tf.Tensor[] | Record<string, tf.Tensor>;

/**
 * A dataset over tensors that share their first dimension `N`, as PyTorch's
 * `TensorDataset`: sample `i` is the `i`-th row of each (a tuple when built
 * from a list, a record when built from a record). Batches are gathered with
 * one `tf.gather` per tensor. The dataset does not own the tensors: dispose
 * them yourself when done.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { TensorDataset } from '@fovea/core';
 * const x = tf.randomNormal([100, 28, 28, 1]);     // `[N, H, W, C]`
 * const y = tf.zeros([100], 'int32');              // `[N]`
 * const ds = new TensorDataset([x, y]);
 * const [xi, yi] = ds.get(0);                      // `[28, 28, 1]`, `[]`
 * ds.length;                                       // 100
 * ```
 * @category Data
 */
export class TensorDataset<T extends TensorStructure = tf.Tensor[]> implements Dataset<T> {
  /** The tensors, as given. */
  readonly tensors: T;
  readonly length: number;

  /** @param tensors a list or record of tensors, each `[N, ...]` with the same `N`. */
  constructor(tensors: T) {
    const entries = Array.isArray(tensors) ? tensors.map((t, i) => [String(i), t] as const) : Object.entries(tensors);
    if (entries.length === 0) {
      throw new FoveaError({ op: 'TensorDataset', arg: 'tensors', expected: 'at least one tensor', got: 'none' });
    }
    const dims = {};
    for (const [name, t] of entries) checkTensor('TensorDataset', `tensors[${name}]`, t, { minRank: 1 }, dims);
    const n = entries[0]![1].shape[0]!;
    for (const [name, t] of entries) {
      if (t.shape[0] !== n) {
        throw new FoveaError({
          op: 'TensorDataset',
          arg: `tensors[${name}]`,
          expected: `first dimension N = ${n} (as tensors[${entries[0]![0]}])`,
          got: `shape ${formatShape(t.shape)}`,
        });
      }
    }
    this.tensors = tensors;
    this.length = n;
  }

  /** Row `index` of each tensor (new tensors, owned by the caller). */
  get(index: number): T {
    checkIndex('TensorDataset.get', index, this.length);
    return this.map((t) => tf.tidy(() => tf.squeeze(tf.slice(t, [index], [1]), [0])));
  }

  /** Rows `indices` of each tensor, `[B, ...]` (new tensors, owned by the caller). */
  getBatch(indices: Int32Array): T {
    for (const i of indices) checkIndex('TensorDataset.getBatch', i, this.length);
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      return this.map((t) => tf.gather(t, idx));
    });
  }

  private map(f: (t: tf.Tensor) => tf.Tensor): T {
    if (Array.isArray(this.tensors)) return this.tensors.map(f) as T;
    const out: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(this.tensors)) out[k] = f(t);
    return out as T;
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`).
 *
 * @example
 * ```ts
 * import { Subset } from '@fovea/core';
 * const ds = { length: 10, get: (i: number) => i };
 * const evens = new Subset(ds, [0, 2, 4]);
 * evens.get(2); // 4
 * ```
 * @category Data
 */
export class Subset<T> implements Dataset<T> {
  readonly dataset: Dataset<T>;
  /** Positions in `dataset`, `[length]`. */
  readonly indices: Int32Array;

  constructor(dataset: Dataset<T>, indices: ArrayLike<number>) {
    const idx = Int32Array.from(indices as ArrayLike<number>);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= dataset.length) {
        throw new FoveaError({
          op: 'Subset',
          arg: `indices[${i}]`,
          expected: `an integer in [0, ${dataset.length})`,
          got: describeValue(v),
        });
      }
    }
    this.dataset = dataset;
    this.indices = idx;
    if (dataset.getBatch) {
      const parent = dataset.getBatch.bind(dataset);
      this.getBatch = (b: Int32Array) => {
        for (const i of b) checkIndex('Subset.getBatch', i, this.length);
        return parent(Int32Array.from(b, (i) => this.indices[i]!));
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): MaybePromise<T> {
    checkIndex('Subset.get', index, this.length);
    return this.dataset.get(this.indices[index]!);
  }

  getBatch?: (indices: Int32Array) => MaybePromise<unknown>;
}

/**
 * A dataset whose samples are `fn(dataset.get(i), i)`: a per-sample transform
 * (torchvision's `transform=`). Tensors of the input sample that `fn` does not
 * return are disposed after it, so `fn` needs no cleanup of its own; `fn` may
 * be async.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MapDataset, TensorDataset } from '@fovea/core';
 * const base = new TensorDataset([tf.ones([8, 4, 4, 1]), tf.zeros([8], 'int32')]);
 * const scaled = new MapDataset(base, ([x, y]) => [tf.mul(x, 2), y] as [tf.Tensor, tf.Tensor]);
 * const [x0] = scaled.get(0) as tf.Tensor[]; // `[4, 4, 1]` of twos
 * ```
 * @category Data
 */
export class MapDataset<T, U> implements Dataset<U> {
  readonly dataset: Dataset<T>;
  readonly fn: (sample: T, index: number) => MaybePromise<U>;

  constructor(dataset: Dataset<T>, fn: (sample: T, index: number) => MaybePromise<U>) {
    if (typeof fn !== 'function') {
      throw new FoveaError({ op: 'MapDataset', arg: 'fn', expected: 'a function', got: describeValue(fn) });
    }
    this.dataset = dataset;
    this.fn = fn;
  }

  get length(): number {
    return this.dataset.length;
  }

  get(index: number): MaybePromise<U> {
    checkIndex('MapDataset.get', index, this.length);
    return andThen(this.dataset.get(index), (sample) =>
      andThen(this.fn(sample, index), (out) => {
        disposeExcept(sample, out);
        return out;
      }),
    );
  }
}

/**
 * Several datasets one after another (PyTorch's `ConcatDataset`).
 *
 * @example
 * ```ts
 * import { ConcatDataset } from '@fovea/core';
 * const a = { length: 2, get: (i: number) => `a${i}` };
 * const b = { length: 3, get: (i: number) => `b${i}` };
 * const ab = new ConcatDataset([a, b]);
 * ab.length; // 5
 * ab.get(2); // 'b0'
 * ```
 * @category Data
 */
export class ConcatDataset<T> implements Dataset<T> {
  readonly datasets: readonly Dataset<T>[];
  readonly length: number;
  private readonly offsets: number[];

  constructor(datasets: readonly Dataset<T>[]) {
    if (!Array.isArray(datasets) || datasets.length === 0) {
      throw new FoveaError({ op: 'ConcatDataset', arg: 'datasets', expected: 'a non-empty array of datasets', got: describeValue(datasets) });
    }
    this.datasets = datasets;
    this.offsets = [];
    let total = 0;
    for (const d of datasets) {
      this.offsets.push(total);
      total += d.length;
    }
    this.length = total;
  }

  get(index: number): MaybePromise<T> {
    checkIndex('ConcatDataset.get', index, this.length);
    let d = this.offsets.length - 1;
    while (this.offsets[d]! > index) d--;
    return this.datasets[d]!.get(index - this.offsets[d]!);
  }
}
