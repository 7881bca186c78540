import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';

/** Constraints for {@link checkNumber}. @category Validation */
export interface NumberSpec {
  /** Must be an integer. */
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Exclusive upper bound. */
  lt?: number;
}

function describeNumber(spec: NumberSpec): string {
  const parts: string[] = [spec.integer ? 'an integer' : 'a finite number'];
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.gt !== undefined) parts.push(`> ${spec.gt}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  if (spec.lt !== undefined) parts.push(`< ${spec.lt}`);
  return parts.join(' ');
}

/**
 * Checks a numeric option (finite; optionally an integer and within bounds)
 * and returns it.
 *
 * @example
 * ```ts
 * import { checkNumber } from '@fovea/core';
 * const k = checkNumber('knnPredict', 'k', 5, { integer: true, min: 1 }); // 5
 * ```
 * @category Validation
 */
export function checkNumber(op: string, arg: string, v: unknown, spec: NumberSpec = {}): number {
  const bad = (): never => {
    throw new FoveaError({ op, arg, expected: describeNumber(spec), got: describeValue(v) });
  };
  if (typeof v !== 'number' || !Number.isFinite(v)) return bad();
  if (spec.integer && !Number.isInteger(v)) bad();
  if (spec.min !== undefined && v < spec.min) bad();
  if (spec.max !== undefined && v > spec.max) bad();
  if (spec.gt !== undefined && !(v > spec.gt)) bad();
  if (spec.lt !== undefined && !(v < spec.lt)) bad();
  return v;
}

/**
 * Checks that a string option is one of the allowed values and returns it.
 *
 * @example
 * ```ts
 * import { checkOneOf } from '@fovea/core';
 * checkOneOf('boxConvert', 'inFmt', 'xyxy', ['xyxy', 'xywh', 'cxcywh'] as const); // 'xyxy'
 * ```
 * @category Validation
 */
export function checkOneOf<T extends string>(op: string, arg: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new FoveaError({ op, arg, expected: `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, got: describeValue(v) });
  }
  return v as T;
}

/**
 * Checks an `int or [h, w]` option (PyTorch's `_pair`) and returns `[h, w]`.
 *
 * @example
 * ```ts
 * import { checkPair } from '@fovea/core';
 * checkPair('conv2d', 'stride', 2, { integer: true, min: 1 }); // [2, 2]
 * ```
 * @category Validation
 */
export function checkPair(op: string, arg: string, v: unknown, spec: NumberSpec = {}): [number, number] {
  if (Array.isArray(v)) {
    if (v.length !== 2) {
      throw new FoveaError({ op, arg, expected: 'a number or a pair [h, w]', got: `an array of length ${v.length}` });
    }
    return [checkNumber(op, `${arg}[0]`, v[0], spec), checkNumber(op, `${arg}[1]`, v[1], spec)];
  }
  const n = checkNumber(op, arg, v, spec);
  return [n, n];
}

/**
 * A short description of any value for error messages.
 *
 * @example
 * ```ts
 * import { describeValue } from '@fovea/core';
 * describeValue(NaN); // "NaN"
 * ```
 * @category Validation
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(describeValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  return typeof v;
}

/**
 * Reads a float tensor back (asynchronously, so it works on WebGPU and does
 * not block a browser) and throws a {@link FoveaError} naming the first
 * non-finite entry, by row for rank ≥ 2.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { checkFinite } from '@fovea/core';
 * await checkFinite('nms', 'scores', tf.tensor1d([0.5, 0.9])); // ok
 * ```
 * @category Validation
 */
export async function checkFinite(op: string, arg: string, x: tf.Tensor): Promise<void> {
  if (x.dtype !== 'float32') return;
  const data = (await x.data()) as Float32Array;
  const i = firstNonFinite(data);
  if (i < 0) return;
  throw new FoveaError({ op, arg, expected: 'finite values', got: `${describeValue(data[i])} at ${locate(x.shape, i)}` });
}

/** Index of the first NaN or ±Infinity, or -1. @internal */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Human position of flat index `i` in `shape`: `row 3` or `index [3, 1]`. @internal */
export function locate(shape: readonly number[], i: number): string {
  if (shape.length <= 1) return `index ${i}`;
  const idx: number[] = [];
  let r = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(r % shape[d]!);
    r = Math.floor(r / shape[d]!);
  }
  return shape.length === 2 ? `row ${idx[0]} (column ${idx[1]})` : `index ${JSON.stringify(idx)}`;
}
