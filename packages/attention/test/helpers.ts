/** Test helpers of @fovea/attention: the PyTorch fixtures and small conversions. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { StateDict } from '@fovea/core';
import { fromJson, type JsonTensor } from '@fovea/test-utils';

/** `fixtures/attention.json` (written by `fixtures/gen_attention.py`), parsed once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let cache: any = null;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixtures(): any {
  cache ??= JSON.parse(readFileSync(new URL('../fixtures/attention.json', import.meta.url), 'utf8'));
  return cache;
}

/** A JSON tensor as a tf tensor. */
export function t(x: JsonTensor): tf.Tensor {
  return fromJson(x);
}

/** A JSON state dict as tensors (the caller disposes them). */
export function stateOf(s: Record<string, JsonTensor>): StateDict {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fromJson(v)]));
}

/** Runs `f(grads)` with the gradients of `sum(f() · seed)` w.r.t. `xs`. */
export function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], seed: tf.Tensor): tf.Tensor[] {
  return tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), seed)))(xs);
}

/** Deterministic pseudo-random values (no generator state needed). */
export function rand(shape: number[], seed = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor(data, shape);
}
