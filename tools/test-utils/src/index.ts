/**
 * Test helpers shared by Fovea's packages: tolerance comparisons, explicit
 * leak checks, and PyTorch fixtures. (The root vitest setup also checks every
 * test for leaked tensors.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Flattens a tensor (read synchronously; tests run on wasm/cpu) or a nested array to numbers. */
export function values(x: tf.Tensor | ArrayLike<number> | number[][] | number): number[] {
  if (typeof x === 'number') return [x];
  if (x instanceof tf.Tensor) return Array.from(x.dataSync() as ArrayLike<number>);
  return (Array.from(x as ArrayLike<unknown>) as unknown[]).flat(Infinity as 1) as number[];
}

/** Asserts `|a - b| <= atol + rtol·|b|` elementwise (and equal shapes when both are tensors). */
export function expectClose(
  actual: tf.Tensor | ArrayLike<number> | number,
  expected: tf.Tensor | ArrayLike<number> | number[][] | number,
  tol: { atol?: number; rtol?: number } = {},
): void {
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-4;
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) expect(actual.shape).toEqual(expected.shape);
  const a = values(actual as tf.Tensor);
  const b = values(expected as tf.Tensor);
  expect(a.length, 'number of elements').toBe(b.length);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i]! - b[i]!);
    const bad = !(err <= atol + rtol * Math.abs(b[i]!));
    if (bad && (worst < 0 || err > worstErr || Number.isNaN(err))) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst}: got ${a[worst]}, want ${b[worst]} (abs err ${worstErr}, atol ${atol}, rtol ${rtol})`);
  }
}

/** Runs `fn` and asserts it left no tensors behind (besides what it returns, which is disposed). */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  if (out instanceof tf.Tensor) out.dispose();
  expect(tf.memory().numTensors, 'tensors after the call').toBe(before);
  return out;
}

/** A tensor as written in Fovea's JSON fixtures and conformance files. */
export interface JsonTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: (number | boolean | null)[];
}

/** Builds a tensor from a JSON fixture tensor. */
export function fromJson(t: JsonTensor): tf.Tensor {
  const data = t.dtype === 'bool' ? t.data.map((v) => (v ? 1 : 0)) : t.data.map((v) => (v === null ? NaN : Number(v)));
  return tf.tensor(data, t.shape, t.dtype);
}

/**
 * The vector-Jacobian product `gᵀ ∂f/∂inputs[k]` computed without autodiff,
 * as `⟨f(…, e_i, …), g⟩` for every basis tensor `e_i` of `inputs[k]`: the
 * reference for gradients of functions linear in that input (convolutions
 * and their transposes, pooling windows, resizes). Reads synchronously, so
 * wasm/cpu only; cost is one forward pass per input element.
 */
export function adjointGrad(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], k: number, g: tf.Tensor): Float32Array {
  const x = inputs[k]!;
  const gv = g.dataSync();
  const out = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) {
    out[i] = tf.tidy(() => {
      const e = tf.buffer(x.shape, 'float32');
      e.values[i] = 1;
      const args = inputs.slice();
      args[k] = e.toTensor();
      const y = f(...args).dataSync();
      let s = 0;
      for (let j = 0; j < y.length; j++) s += y[j]! * gv[j]!;
      return s;
    });
  }
  return out;
}
