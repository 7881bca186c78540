import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '@fovea/core';
import type { Batch, BatchSource } from './types.js';

/** Iterates a batch source for one epoch (calling it first when it is a function). @internal */
export async function* iterateBatches(src: BatchSource, epoch: number): AsyncGenerator<Batch> {
  const it = typeof src === 'function' ? src(epoch) : src;
  if (it && typeof (it as AsyncIterable<Batch>)[Symbol.asyncIterator] === 'function') {
    yield* it as AsyncIterable<Batch>;
  } else if (it && typeof (it as Iterable<Batch>)[Symbol.iterator] === 'function') {
    yield* it as Iterable<Batch>;
  } else {
    throw new FoveaError({ op: 'Trainer', arg: 'data', expected: 'a DataLoader, an (async) iterable of batches, or a function returning one', got: typeof it });
  }
}

/** Splits a batch into `x` and `y`, checking both are tensors with the same first dimension. @internal */
export function unpackBatch(op: string, batch: Batch, index: number): { x: tf.Tensor; y: tf.Tensor } {
  try {
    return checkBatch(op, batch, index);
  } catch (e) {
    // the trainer owns every batch it receives, rejected ones too
    const parts = Array.isArray(batch) ? batch : batch && typeof batch === 'object' ? Object.values(batch) : [];
    for (const t of parts) if (t instanceof tf.Tensor && !t.isDisposed) t.dispose();
    throw e;
  }
}

function checkBatch(op: string, batch: Batch, index: number): { x: tf.Tensor; y: tf.Tensor } {
  const pair = Array.isArray(batch) ? (batch.length === 2 ? { x: batch[0], y: batch[1] } : null) : batch && typeof batch === 'object' ? { x: batch.x, y: batch.y } : null;
  if (!pair || !(pair.x instanceof tf.Tensor) || !(pair.y instanceof tf.Tensor)) {
    throw new FoveaError({ op, arg: `batch ${index}`, expected: '{ x, y } or [x, y] of tensors', got: batch === null ? 'null' : Array.isArray(batch) ? `an array of ${batch.length}` : typeof batch });
  }
  if (pair.x.rank > 0 && pair.y.rank > 0 && pair.x.shape[0] !== pair.y.shape[0]) {
    throw new FoveaError({ op, arg: `batch ${index}`, expected: 'x and y with the same first dimension', got: `x [${pair.x.shape}] and y [${pair.y.shape}]` });
  }
  return pair;
}
