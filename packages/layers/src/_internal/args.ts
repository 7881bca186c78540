/** Private helpers: argument parsing and validation shared by the layers. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkPair, checkTensor, describeValue, formatShape, type NumberSpec } from '@fovea/core';

/**
 * An `int or [h, w]` option (PyTorch's `_pair`): one number for both spatial dims, or one per dim.
 *
 * @category Convolution
 */
export type Pair = number | readonly [number, number];

/**
 * An `int or [d, h, w]` option (PyTorch's `_triple`).
 *
 * @category Convolution
 */
export type Triple = number | readonly [number, number, number];

/** PyTorch's `_pair` with validation. */
export function pair(op: string, arg: string, v: unknown, spec: NumberSpec): [number, number] {
  return checkPair(op, arg, v, spec);
}

/** PyTorch's `_triple` with validation. */
export function triple(op: string, arg: string, v: unknown, spec: NumberSpec): [number, number, number] {
  if (Array.isArray(v)) {
    if (v.length !== 3) {
      throw new FoveaError({ op, arg, expected: 'a number or a triple [d, h, w]', got: `an array of length ${v.length}` });
    }
    return [checkNumber(op, `${arg}[0]`, v[0], spec), checkNumber(op, `${arg}[1]`, v[1], spec), checkNumber(op, `${arg}[2]`, v[2], spec)];
  }
  const n = checkNumber(op, arg, v, spec);
  return [n, n, n];
}

/** Checks a channels-last image batch `[N, H, W, C]` (float32) and returns its dims. */
export function checkImage(op: string, arg: string, x: unknown): [number, number, number, number] {
  checkTensor(op, arg, x, { rank: 4, dtype: 'float32' });
  return x.shape as [number, number, number, number];
}

/** Checks a boolean option. */
export function checkBool(op: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new FoveaError({ op, arg, expected: 'a boolean', got: describeValue(v) });
  return v;
}

/** Throws when a computed output size is < 1 (or < 0 when `allowEmpty`). */
export function checkOutputSize(op: string, arg: string, sizes: readonly number[], input: readonly number[], allowEmpty = false): void {
  if (sizes.some((s) => !(s >= (allowEmpty ? 0 : 1)))) {
    throw new FoveaError({
      op,
      arg,
      expected: 'settings that give an output of at least 1×1',
      got: `output size ${formatShape(sizes)} for input ${formatShape(input)}`,
    });
  }
}

/** Product of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A zero tensor of `shape` that stays connected to `inputs` in the autograd
 * graph (gradient zero), for empty inputs where the kernels cannot run.
 */
export function connectedZeros(shape: number[], inputs: (tf.Tensor | null | undefined)[]): tf.Tensor {
  return tf.tidy(() => {
    let z: tf.Tensor = tf.zeros(shape);
    for (const t of inputs) if (t) z = tf.add(z, tf.mul(tf.sum(t), 0));
    return z;
  });
}

/** Sums tensors with `tf.addN` in chunks (tfjs-webgpu binds at most 8 buffers per shader). */
export function sumAll(parts: tf.Tensor[]): tf.Tensor {
  let list = parts;
  while (list.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < list.length; i += 6) {
      const chunk = list.slice(i, i + 6);
      next.push(chunk.length === 1 ? chunk[0]! : tf.addN(chunk));
    }
    list = next;
  }
  return list[0]!;
}
