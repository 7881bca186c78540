import * as tf from '@tensorflow/tfjs-core';

/** A value or a promise of it (what {@link Dataset.get} may return). @category Data */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as Promise<T> | null)?.then === 'function';
}

/** Applies `f` to a value that may be a promise, staying synchronous when it is not. */
export function andThen<T, U>(x: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(x) ? x.then(f) : f(x);
}

/** Every tensor inside a nested structure of arrays and plain objects. */
export function collectTensors(x: unknown, out: Set<tf.Tensor> = new Set()): Set<tf.Tensor> {
  if (x instanceof tf.Tensor) {
    out.add(x);
  } else if (Array.isArray(x)) {
    for (const v of x) collectTensors(v, out);
  } else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) collectTensors(v, out);
  }
  return out;
}

/** Disposes the tensors of `input` that do not also appear in `kept`. */
export function disposeExcept(input: unknown, kept: unknown): void {
  const keep = collectTensors(kept);
  for (const t of collectTensors(input)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}
