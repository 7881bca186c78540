/**
 * Fovea's gradients against PyTorch on every lane (wasm, cpu, webgpu):
 * dilated convolutions, conv3dTranspose, broadcasting matMul /
 * squaredDifference / maximum / minimum / prelu, cumsum along any axis,
 * cumprod with zeros, topk, gather with batchDims, gatherND / scatterND with
 * repeated indices, and masks built from comparisons. Fixtures: fixtures/gen_gradients.py.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { fromJson, type JsonTensor } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';

interface Case {
  name: string;
  op: string;
  attrs: Record<string, never>;
  inputs: Record<string, JsonTensor>;
  output: JsonTensor;
  seed: JsonTensor;
  grads: Record<string, JsonTensor>;
}

type Inputs = Record<string, tf.Tensor>;
const OPS: Record<string, (t: Inputs, a: Record<string, never>) => tf.Tensor> = {
  conv2d: (t, a) => tf.conv2d(t['x'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, a['strides'], a['pad'], 'NHWC', a['dilations']),
  depthwiseConv2d: (t, a) => tf.depthwiseConv2d(t['x'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, a['strides'], a['pad'], 'NHWC', a['dilations']),
  conv3d: (t, a) => tf.conv3d(t['x'] as tf.Tensor5D, t['filter'] as tf.Tensor5D, a['strides'], a['pad'], 'NDHWC', a['dilations']),
  conv3dTranspose: (t, a) => tf.conv3dTranspose(t['x'] as tf.Tensor5D, t['filter'] as tf.Tensor5D, a['outputShape'], a['strides'], a['pad']),
  matMul: (t, a) => tf.matMul(t['a']!, t['b']!, a['transposeA'], a['transposeB']),
  squaredDifference: (t) => tf.squaredDifference(t['a']!, t['b']!),
  maximum: (t) => tf.maximum(t['a']!, t['b']!),
  minimum: (t) => tf.minimum(t['a']!, t['b']!),
  prelu: (t) => tf.prelu(t['x']!, t['alpha']!),
  cumsum: (t, a) => tf.cumsum(t['x']!, a['axis'], a['exclusive'], a['reverse']),
  cumprod: (t, a) => tf.cumprod(t['x']!, a['axis'], a['exclusive'], a['reverse']),
  topk: (t, a) => tf.topk(t['x']!, a['k']).values,
  gatherND: (t) => tf.gatherND(t['params']!, t['indices']!),
  gather: (t, a) => tf.gather(t['x']!, t['indices']!, a['axis'], a['batchDims']),
  scatterND: (t, a) => tf.scatterND(t['indices']!, t['updates']!, a['shape']),
  whereGreater: (t) => tf.where(tf.greater(t['x']!, 0), t['x']!, tf.zerosLike(t['x']!)),
  whereEqualZero: (t) => tf.where(tf.equal(t['b']!, 0), tf.zerosLike(t['a']!), tf.mul(t['a']!, t['b']!)),
};

async function expectCloseAsync(got: tf.Tensor, want: JsonTensor, what: string): Promise<void> {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  const g = await got.data();
  const w = want.data as number[];
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!) / (1e-4 + 1e-3 * Math.abs(w[i]!)));
  expect(worst, `${what}: worst error in units of (1e-4 + 1e-3 |want|)`).toBeLessThanOrEqual(1);
}

const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/core_gradients.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe(`Fovea gradients vs PyTorch on ${tf.getBackend()}`, () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const f = OPS[c.op]!;
      const inputs: Inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, fromJson(v)]));
      const names = Object.keys(c.grads);
      const seed = fromJson(c.seed);
      const out = tf.tidy(() => f(inputs, c.attrs));
      const grads = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => {
        const args = { ...inputs };
        names.forEach((n, i) => (args[n] = xs[i]!));
        return tf.sum(tf.mul(f(args, c.attrs), seed));
      })(names.map((n) => inputs[n]!)));
      try {
        await expectCloseAsync(out, c.output, 'output');
        for (let i = 0; i < names.length; i++) await expectCloseAsync(grads[i]!, c.grads[names[i]!]!, `grad ${names[i]}`);
      } finally {
        tf.dispose([out, seed, ...grads, ...Object.values(inputs)]);
      }
    });
  }

  it('empty inputs give empty or zero gradients', async () => {
    const cases: Array<[string, () => tf.Tensor, number[]]> = [
      ['stridedSlice of nothing', () => tf.grad((x: tf.Tensor) => tf.sum(tf.stridedSlice(x, [2, 0], [2, 3], [1, 1])))(tf.ones([4, 3])), [4, 3]],
      ['topk k = 0', () => tf.grad((x: tf.Tensor) => tf.sum(tf.topk(x, 0).values))(tf.ones([2, 3])), [2, 3]],
      ['gatherND no indices', () => tf.grad((x: tf.Tensor) => tf.sum(tf.gatherND(x, tf.zeros([0, 1], 'int32'))))(tf.ones([4, 3])), [4, 3]],
      ['cumprod of [0, 3]', () => tf.grad((x: tf.Tensor) => tf.sum(tf.cumprod(x, 0)))(tf.zeros([0, 3])), [0, 3]],
      ['matMul [0, 4] x [4, 3]', () => tf.grad((w: tf.Tensor) => tf.sum(tf.matMul(tf.zeros([2, 0, 4]), w)))(tf.ones([4, 3])), [4, 3]],
    ];
    for (const [what, f, shape] of cases) {
      const g = tf.tidy(f);
      expect(g.shape, what).toEqual(shape);
      expect(Array.from(await g.data()).every((v) => v === 0), what).toBe(true);
      g.dispose();
    }
  });
});
