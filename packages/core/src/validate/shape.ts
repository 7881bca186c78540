import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';

/**
 * One dimension of an expected shape: a number means exactly that size, a
 * string names a dimension (`'N'`) whose size must agree wherever the same name
 * is used with the same {@link DimBindings}, and `null` accepts any size.
 *
 * @category Validation
 */
export type DimSpec = number | string | null;

/**
 * Sizes of named dimensions seen so far, shared between the checks of one call
 * so that `boxes [N, 4]` and `scores [N]` must agree on `N`.
 *
 * @category Validation
 */
export type DimBindings = Record<string, number>;

/**
 * A shape as Fovea's messages write it: `[3, 5]`.
 *
 * @example
 * ```ts
 * import { formatShape } from '@fovea/core';
 * formatShape([3, 5]); // "[3, 5]"
 * ```
 * @category Validation
 */
export function formatShape(shape: readonly (number | string | null)[]): string {
  return `[${shape.map((d) => (d === null ? '*' : String(d))).join(', ')}]`;
}

/** What {@link checkTensor} checks. @category Validation */
export interface TensorSpec {
  /** Expected shape; see {@link DimSpec}. Implies the rank. */
  shape?: readonly DimSpec[];
  /** Allowed rank(s) when the shape itself is free. */
  rank?: number | readonly number[];
  /** Smallest allowed rank. */
  minRank?: number;
  /** Allowed dtype(s). */
  dtype?: tf.DataType | readonly tf.DataType[];
}

function isTensorLike(x: unknown): x is tf.Tensor {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as tf.Tensor).shape) &&
    typeof (x as tf.Tensor).dtype === 'string' &&
    typeof (x as tf.Tensor).dataId === 'object'
  );
}

/**
 * Checks a tensor argument's presence, rank, shape and dtype, synchronously,
 * and throws a {@link FoveaError} naming the op, the argument, the expectation
 * and what came. Named dimensions are bound in `dims` so later checks in the
 * same call must agree with them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { checkTensor } from '@fovea/core';
 * const dims = {};
 * checkTensor('nms', 'boxes', tf.zeros([3, 4]), { shape: ['N', 4], dtype: 'float32' }, dims);
 * checkTensor('nms', 'scores', tf.zeros([3]), { shape: ['N'] }, dims); // ok, N = 3
 * ```
 * @category Validation
 */
export function checkTensor(
  op: string,
  arg: string,
  x: unknown,
  spec: TensorSpec = {},
  dims: DimBindings = {},
): asserts x is tf.Tensor {
  if (!isTensorLike(x)) {
    const got = x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
    throw new FoveaError({ op, arg, expected: 'a tf.Tensor', got });
  }
  if (x.isDisposed) {
    throw new FoveaError({ op, arg, expected: 'a live tensor', got: 'a disposed tensor' });
  }
  if (spec.dtype !== undefined) {
    const allowed = typeof spec.dtype === 'string' ? [spec.dtype] : spec.dtype;
    if (!allowed.includes(x.dtype)) {
      throw new FoveaError({ op, arg, expected: `dtype ${allowed.join(' or ')}`, got: `dtype ${x.dtype}` });
    }
  }
  if (spec.rank !== undefined) {
    const ranks = typeof spec.rank === 'number' ? [spec.rank] : spec.rank;
    if (!ranks.includes(x.rank)) {
      throw new FoveaError({
        op,
        arg,
        expected: `rank ${ranks.join(' or ')}`,
        got: `rank ${x.rank} (shape ${formatShape(x.shape)})`,
      });
    }
  }
  if (spec.minRank !== undefined && x.rank < spec.minRank) {
    throw new FoveaError({
      op,
      arg,
      expected: `rank >= ${spec.minRank}`,
      got: `rank ${x.rank} (shape ${formatShape(x.shape)})`,
    });
  }
  if (spec.shape !== undefined) checkShape(op, arg, x.shape, spec.shape, dims);
}

/**
 * Checks a plain shape against an expected one (see {@link checkTensor}).
 *
 * @example
 * ```ts
 * import { checkShape } from '@fovea/core';
 * checkShape('linear', 'x', [8, 3], [null, 3]); // ok
 * ```
 * @category Validation
 */
export function checkShape(
  op: string,
  arg: string,
  shape: readonly number[],
  expected: readonly DimSpec[],
  dims: DimBindings = {},
): void {
  const describe = (): string => {
    const parts = expected.map((d) => d);
    const bound = expected
      .filter((d): d is string => typeof d === 'string' && dims[d] !== undefined)
      .map((d) => `${d} = ${dims[d]}`);
    return `shape ${formatShape(parts)}${bound.length ? ` with ${[...new Set(bound)].join(', ')}` : ''}`;
  };
  if (shape.length !== expected.length) {
    throw new FoveaError({ op, arg, expected: describe(), got: `shape ${formatShape(shape)}` });
  }
  const local: DimBindings = {};
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const s = shape[i]!;
    if (e === null || e === undefined) continue;
    if (typeof e === 'number') {
      if (s !== e) throw new FoveaError({ op, arg, expected: describe(), got: `shape ${formatShape(shape)}` });
      continue;
    }
    const known = dims[e] ?? local[e];
    if (known !== undefined && known !== s) {
      throw new FoveaError({ op, arg, expected: describe(), got: `shape ${formatShape(shape)}` });
    }
    local[e] = s;
  }
  Object.assign(dims, local);
}
