/** Test helpers for @fovea/layers: the PyTorch fixtures and small references. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { fromJson, type JsonTensor } from '@fovea/test-utils';

/** The fixtures written by fixtures/gen_layers.py. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fx: any = JSON.parse(readFileSync(new URL('../fixtures/layers.json', import.meta.url), 'utf8'));

/** A fixture tensor as a tf tensor. */
export function t(j: JsonTensor): tf.Tensor {
  return fromJson(j);
}

/** Deterministic pseudo-random floats in [-1, 1) (no RNG state shared with the library). */
export function pseudo(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A pseudo-random float32 tensor. */
export function rand(shape: number[], seed = 1): tf.Tensor {
  return tf.tensor(pseudo(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/**
 * Naive channels-last 2-D cross-correlation (the obviously-correct reference):
 * `x [N, H, W, Cin]`, `w [kH, kW, Cin/g, Cout]`, explicit padding, stride, dilation, groups.
 */
export function naiveConv2d(
  x: tf.Tensor,
  w: tf.Tensor,
  o: { stride: [number, number]; pad: [[number, number], [number, number]]; dilation: [number, number]; groups: number },
): tf.Tensor {
  const [n, h, wd, cin] = x.shape as number[] as [number, number, number, number];
  const [kh, kw, cpg, cout] = w.shape as number[] as [number, number, number, number];
  const xs = x.dataSync();
  const ws = w.dataSync();
  const ho = Math.floor((h + o.pad[0][0] + o.pad[0][1] - o.dilation[0] * (kh - 1) - 1) / o.stride[0]) + 1;
  const wo = Math.floor((wd + o.pad[1][0] + o.pad[1][1] - o.dilation[1] * (kw - 1) - 1) / o.stride[1]) + 1;
  const opg = cout / o.groups;
  const out = new Float32Array(n * ho * wo * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let co = 0; co < cout; co++) {
          const g = Math.floor(co / opg);
          let acc = 0;
          for (let a = 0; a < kh; a++)
            for (let c = 0; c < kw; c++) {
              const r = i * o.stride[0] + a * o.dilation[0] - o.pad[0][0];
              const q = j * o.stride[1] + c * o.dilation[1] - o.pad[1][0];
              if (r < 0 || r >= h || q < 0 || q >= wd) continue;
              for (let ci = 0; ci < cpg; ci++) acc += xs[((b * h + r) * wd + q) * cin + g * cpg + ci]! * ws[((a * kw + c) * cpg + ci) * cout + co]!;
            }
          out[((b * ho + i) * wo + j) * cout + co] = acc;
        }
  return tf.tensor4d(out, [n, ho, wo, cout]);
}

/**
 * Central finite differences of a scalar function at `count` coordinates of
 * `x` (float32, so `eps` is large and tolerances loose), against `grad`.
 */
export function numericGradCheck(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, grad: tf.Tensor, count = 12, eps = 1e-2): number {
  const base = x.dataSync().slice();
  const g = grad.dataSync();
  let worst = 0;
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * 7919 + 13) % base.length);
    const plus = base.slice();
    plus[i] += eps;
    const minus = base.slice();
    minus[i] -= eps;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]!);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]!);
    const num = (fp - fm) / (2 * eps);
    worst = Math.max(worst, Math.abs(num - g[i]!) / Math.max(1, Math.abs(num)));
  }
  return worst;
}

/**
 * Runs `fn` on the current backend, or on cpu while the current backend
 * lacks the convolution-gradient kernels (tfjs-backend-wasm has no
 * Conv2DBackpropFilter until core registers one), then restores the backend.
 * Returns the backend the check ran on.
 */
export async function onGradBackend(fn: () => void | Promise<void>): Promise<string> {
  const { initBackend } = await import('@fovea/core');
  const original = tf.getBackend() as 'cpu' | 'wasm' | 'webgpu';
  const has = tf.getKernel('Conv2DBackpropFilter', original) !== undefined;
  if (!has) await initBackend({ backend: 'cpu' });
  try {
    await fn();
  } finally {
    if (!has) await initBackend({ backend: original });
  }
  return has ? original : 'cpu';
}

/** Reads a tensor asynchronously (works on WebGPU): for smoke tests. */
export async function read(x: tf.Tensor): Promise<number[]> {
  return Array.from((await x.data()) as ArrayLike<number>);
}
