import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { formatShape } from '../validate/shape.js';
import { describeValue } from '../validate/values.js';

type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

/**
 * The batch {@link defaultCollate} makes of samples of type `T`: tensors and
 * numbers become stacked tensors, typed arrays `[B, D]` tensors, strings lists
 * of strings, and arrays and records are collated field by field.
 *
 * @category Data
 */
export type Collated<T> = T extends tf.Tensor
  ? tf.Tensor
  : T extends number | boolean | ArrayBufferView
    ? tf.Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function fail(path: string, expected: string, got: string): never {
  throw new FoveaError({ op: 'defaultCollate', arg: path, expected, got });
}

function collateAt(samples: unknown[], path: string): unknown {
  const first = samples[0];
  if (first instanceof tf.Tensor) {
    samples.forEach((x, i) => {
      if (!(x instanceof tf.Tensor)) fail(`${path}[${i}]`, 'a tensor like sample 0', describeValue(x));
      const s = x as tf.Tensor;
      if (s.dtype !== first.dtype || s.shape.length !== first.shape.length || s.shape.some((d: number, j: number) => d !== first.shape[j])) {
        fail(`${path}[${i}]`, `shape ${formatShape(first.shape)} dtype ${first.dtype} (as sample 0)`, `shape ${formatShape(s.shape)} dtype ${s.dtype}`);
      }
    });
    return tf.stack(samples as tf.Tensor[]);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    samples.forEach((s, i) => {
      if (typeof s !== typeof first) fail(`${path}[${i}]`, `a ${typeof first} like sample 0`, describeValue(s));
    });
    if (typeof first === 'boolean') return tf.tensor1d(samples as boolean[], 'bool');
    const nums = samples as number[];
    return tf.tensor1d(nums, nums.every(Number.isInteger) ? 'int32' : 'float32');
  }
  if (typeof first === 'string') return samples.map((s, i) => (typeof s === 'string' ? s : fail(`${path}[${i}]`, 'a string', describeValue(s))));
  if (isTypedArray(first)) {
    const d = first.length;
    const isFloat = first instanceof Float32Array || first instanceof Float64Array;
    const out = isFloat ? new Float32Array(samples.length * d) : new Int32Array(samples.length * d);
    samples.forEach((s, i) => {
      if (!isTypedArray(s) || s.length !== d) fail(`${path}[${i}]`, `a typed array of length ${d} (as sample 0)`, describeValue(s));
      out.set(s as ArrayLike<number>, i * d);
    });
    return tf.tensor2d(out, [samples.length, d], isFloat ? 'float32' : 'int32');
  }
  if (Array.isArray(first)) {
    samples.forEach((s, i) => {
      if (!Array.isArray(s) || s.length !== first.length) fail(`${path}[${i}]`, `an array of length ${first.length} (as sample 0)`, describeValue(s));
    });
    return first.map((_, j) => collateAt(samples.map((s) => (s as unknown[])[j]), `${path}.${j}`));
  }
  if (first !== null && typeof first === 'object') {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = collateAt(
        samples.map((s, i) => {
          if (s === null || typeof s !== 'object' || !(k in s)) fail(`${path}[${i}]`, `a record with key '${k}' (as sample 0)`, describeValue(s));
          return (s as Record<string, unknown>)[k];
        }),
        `${path}.${k}`,
      );
    }
    return out;
  }
  return fail(`${path}[0]`, 'a tensor, number, boolean, string, typed array, array or record', describeValue(first));
}

/**
 * Merges a list of samples into one batch, as PyTorch's `default_collate`:
 * tensors of equal shape are stacked into `[B, ...]`; numbers become a `[B]`
 * tensor (`int32` when all are integers, else `float32`); booleans a `bool`
 * tensor; typed arrays of equal length a `[B, D]` tensor; strings a list;
 * arrays (tuples) and records are collated field by field. The samples are
 * not disposed (a {@link DataLoader} does that after collating).
 *
 * @param samples `B ≥ 1` samples of the same structure.
 * @returns the batch, a new structure of new tensors owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { defaultCollate } from '@fovea/core';
 * const batch = defaultCollate([
 *   { image: tf.zeros([2, 2, 1]), label: 3 },
 *   { image: tf.ones([2, 2, 1]), label: 7 },
 * ]);
 * batch.image.shape; // [2, 2, 2, 1]
 * batch.label;       // int32 tensor [3, 7]
 * ```
 * @category Data
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (!Array.isArray(samples) || samples.length === 0) {
    fail('samples', 'a non-empty array of samples', Array.isArray(samples) ? 'an empty array' : describeValue(samples));
  }
  return tf.tidy(() => collateAt(samples as unknown[], 'samples') as tf.TensorContainer) as Collated<T>;
}
