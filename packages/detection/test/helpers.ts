/** Helpers for @fovea/detection's tests (not part of the package). */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { fromJson, type JsonTensor } from '@fovea/test-utils';

/**
 * Runs `f` in an engine scope: every tensor made inside (inputs and
 * outputs) is released afterwards, so a test need not dispose its inputs.
 * Leaks of the library itself are checked separately with `expectNoLeaks`.
 */
export async function scoped<T>(f: () => T | Promise<T>): Promise<T> {
  tf.engine().startScope();
  try {
    return await f();
  } finally {
    tf.engine().endScope();
  }
}

/** The fixtures written by fixtures/gen_ops.py. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fixtures: Record<string, any> = JSON.parse(readFileSync(new URL('../fixtures/ops.json', import.meta.url), 'utf8'));

/** A fixture tensor as a tf tensor. */
export function T(t: JsonTensor): tf.Tensor {
  return fromJson(t);
}

/** Reads a tensor as a plain array (tests run on cpu/wasm, where dataSync works). */
export function arr(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** A seeded uniform stream for test data (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random xyxy boxes with corners in `[0, span)` and sides in `[lo, hi)`. */
export function randomBoxes(next: () => number, n: number, span = 100, lo = 2, hi = 40): Float32Array {
  const d = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const x = next() * span;
    const y = next() * span;
    d.set([x, y, x + lo + next() * (hi - lo), y + lo + next() * (hi - lo)], 4 * i);
  }
  return d;
}

/** Reads a tensor asynchronously (works on WebGPU) as a plain array. */
export async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>);
}

/** Asserts two arrays agree within `atol + rtol·|want|` (async-friendly, no tensors). */
export function close(got: ArrayLike<number>, want: ArrayLike<number>, atol = 1e-4, rtol = 1e-4): void {
  if (got.length !== want.length) throw new Error(`length ${got.length}, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) throw new Error(`element ${i}: got ${g}, want ${w}`);
  }
}
