/**
 * Reading metric inputs: tensors (read with `await t.data()`, so WebGPU works),
 * typed arrays, plain arrays and nested arrays all become one flat typed view
 * plus a shape, validated at the door.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, formatShape } from '@fovea/core';

/**
 * What every metric accepts as data: a `tf.Tensor`, a typed or plain array of
 * numbers (or booleans), or nested plain arrays (`number[][]` for `[N, C]`).
 * Tensors are read asynchronously (`await t.data()`), so GPU-resident tensors
 * work on every backend; they are never disposed by the metric.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { accuracy, type MetricInput } from '@fovea/metrics';
 * const preds: MetricInput = tf.tensor1d([0, 1, 1], 'int32');
 * const targets: MetricInput = [0, 1, 0];
 * await accuracy(preds, targets); // 0.6666…
 * ```
 * @category Types
 */
export type MetricInput = tf.Tensor | ArrayLike<number> | readonly boolean[] | readonly MetricInput[];

/** What a value must look like. @internal */
export type ValueKind = 'float' | 'int' | 'bool';

/** A flat view of an input and its shape. @internal */
export interface Flat {
  data: ArrayLike<number>;
  shape: number[];
}

/** What {@link readInput} checks. @internal */
export interface InputSpec {
  /** Allowed ranks. */
  rank?: number | readonly number[];
  /** Value kind: `int` must be integral, `bool` 0/1/true/false, `float` finite (default). */
  kind?: ValueKind;
  /** Allow NaN/Infinity (default false). */
  allowNonFinite?: boolean;
}

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor || (typeof x === 'object' && x !== null && 'dataId' in x && 'shape' in x && 'dtype' in x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** Flattens nested plain arrays, inferring and checking the shape. */
function flattenNested(op: string, arg: string, x: ArrayLike<unknown>): Flat {
  const shape: number[] = [];
  let probe: unknown = x;
  while (probe !== null && typeof probe === 'object' && 'length' in (probe as object) && !isTensor(probe)) {
    const a = probe as ArrayLike<unknown>;
    shape.push(a.length);
    if (a.length === 0) break;
    probe = a[0];
  }
  const size = shape.reduce((p, s) => p * s, 1);
  const out = new Float64Array(size);
  let k = 0;
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v === 'number') out[k++] = v;
      else if (typeof v === 'boolean') out[k++] = v ? 1 : 0;
      else {
        throw new FoveaError({
          op,
          arg,
          expected: `numbers (a nested array of shape ${formatShape(shape)})`,
          got: `${describe(v)} at ${formatShape(path)}`,
        });
      }
      return;
    }
    const a = v as ArrayLike<unknown> | null;
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number' || a.length !== shape[depth]) {
      throw new FoveaError({
        op,
        arg,
        expected: `a rectangular nested array of shape ${formatShape(shape)}`,
        got: `${a !== null && typeof a === 'object' && typeof a.length === 'number' ? `length ${a.length}` : describe(a)} at ${formatShape(path)}`,
      });
    }
    for (let i = 0; i < a.length; i++) walk(a[i], depth + 1, [...path, i]);
  };
  walk(x, 0, []);
  return { data: out, shape };
}

function position(shape: readonly number[], i: number): string {
  if (shape.length <= 1) return `index ${i}`;
  const idx: number[] = [];
  let r = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(r % shape[d]!);
    r = Math.floor(r / shape[d]!);
  }
  return `index ${formatShape(idx)}`;
}

/** Checks the values of a flat input against its kind. @internal */
export function checkValues(op: string, arg: string, flat: Flat, kind: ValueKind, allowNonFinite = false): void {
  const { data, shape } = flat;
  const n = data.length;
  if (kind === 'int') {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (!Number.isInteger(v)) {
        throw new FoveaError({ op, arg, expected: 'integer labels', got: `${v} at ${position(shape, i)}` });
      }
    }
  } else if (kind === 'bool') {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (v !== 0 && v !== 1) {
        throw new FoveaError({ op, arg, expected: 'booleans (or 0/1)', got: `${v} at ${position(shape, i)}` });
      }
    }
  } else if (!allowNonFinite) {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) {
        throw new FoveaError({ op, arg, expected: 'finite values', got: `${Number.isNaN(v) ? 'NaN' : v} at ${position(shape, i)}` });
      }
    }
  }
}

/** Checks the rank of a shape. @internal */
export function checkRank(op: string, arg: string, shape: readonly number[], rank: number | readonly number[] | undefined): void {
  if (rank === undefined) return;
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(shape.length)) {
    const want = ranks.map((r) => (r === 0 ? 'a scalar' : `rank ${r}`)).join(' or ');
    throw new FoveaError({ op, arg, expected: want, got: `shape ${formatShape(shape)}` });
  }
}

/**
 * Reads any {@link MetricInput} into a flat typed view and its shape; checks
 * the rank synchronously for tensors (before reading), then the values.
 * @internal
 */
export async function readInput(op: string, arg: string, x: unknown, spec: InputSpec = {}): Promise<Flat> {
  const kind = spec.kind ?? 'float';
  let flat: Flat;
  if (isTensor(x)) {
    if (x.isDisposed) throw new FoveaError({ op, arg, expected: 'a live tensor', got: 'a disposed tensor' });
    checkRank(op, arg, x.shape, spec.rank);
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      throw new FoveaError({ op, arg, expected: 'a float32, int32 or bool tensor', got: `dtype ${x.dtype}` });
    }
    const data = (await x.data()) as Float32Array | Int32Array | Uint8Array;
    flat = { data, shape: [...x.shape] };
    if (x.dtype === 'int32' && kind !== 'bool') return flat;
    if (x.dtype === 'bool') return flat;
  } else if (typeof x === 'number') {
    flat = { data: [x], shape: [] };
    checkRank(op, arg, flat.shape, spec.rank);
  } else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    flat = { data: x as unknown as ArrayLike<number>, shape: [(x as unknown as ArrayLike<number>).length] };
    checkRank(op, arg, flat.shape, spec.rank);
  } else if (Array.isArray(x)) {
    const flatLike = x.length > 0 && x.every((v) => typeof v === 'number');
    flat = flatLike ? { data: x as number[], shape: [x.length] } : flattenNested(op, arg, x);
    checkRank(op, arg, flat.shape, spec.rank);
  } else {
    throw new FoveaError({ op, arg, expected: 'a tf.Tensor, a typed array or a (nested) array of numbers', got: describe(x) });
  }
  checkValues(op, arg, flat, kind, spec.allowNonFinite);
  return flat;
}

/** Checks that every value lies in `[0, n)` (labels) and returns the first bad one's message. @internal */
export function checkLabelRange(op: string, arg: string, flat: Flat, n: number, ignore?: number): void {
  const { data, shape } = flat;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v === ignore) continue;
    if (!(v >= 0 && v < n)) {
      throw new FoveaError({
        op,
        arg,
        expected: `labels in [0, ${n})${ignore !== undefined ? ` or the ignore index ${ignore}` : ''}`,
        got: `${v} at ${position(shape, i)}`,
      });
    }
  }
}

/** Checks that two flat inputs have the same shape. @internal */
export function checkSameShape(op: string, argA: string, a: Flat, argB: string, b: Flat): void {
  const same = a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i]);
  if (!same) {
    throw new FoveaError({
      op,
      arg: argB,
      expected: `the shape of ${argA} ${formatShape(a.shape)}`,
      got: `shape ${formatShape(b.shape)}`,
    });
  }
}

/** A growable float64 buffer for streaming metrics. @internal */
export class F64Buffer {
  private buf: Float64Array;
  private n = 0;

  constructor(capacity = 256) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }

  /** Number of values held. */
  get length(): number {
    return this.n;
  }

  /** Appends values. */
  append(values: ArrayLike<number>): void {
    this.reserve(this.n + values.length);
    if (ArrayBuffer.isView(values)) this.buf.set(values as unknown as ArrayLike<number>, this.n);
    else for (let i = 0; i < values.length; i++) this.buf[this.n + i] = values[i]!;
    this.n += values.length;
  }

  /** Appends one value. */
  push(v: number): void {
    this.reserve(this.n + 1);
    this.buf[this.n++] = v;
  }

  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < need) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  /** A view of the values (valid until the next append). */
  view(): Float64Array {
    return this.buf.subarray(0, this.n);
  }

  /** Empties the buffer. */
  clear(): void {
    this.n = 0;
  }
}
