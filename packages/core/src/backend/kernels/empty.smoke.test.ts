/**
 * Empty inputs on every lane (wasm, cpu, webgpu): reductions give
 * PyTorch's answers (sum 0, prod 1, mean NaN, all true, any false; max/min
 * NaN as tfjs-cpu computes them), and ops that read an empty tensor to make a
 * non-empty one (matmul with k = 0, gradients over an empty batch, segment
 * sums...) give zeros instead of WebGPU buffer errors or wasm's uninitialised
 * memory. On webgpu, every test also checks that no validation error was
 * raised (an invalid bind group fails silently otherwise).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface ErrorScopes {
  pushErrorScope(filter: 'validation'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}
const device = tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device: ErrorScopes }).device : null;

beforeEach(() => device?.pushErrorScope('validation'));
afterEach(async () => {
  const error = device ? await device.popErrorScope() : null;
  expect(error?.message ?? null).toBeNull();
});

const z = (shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor => tf.zeros(shape, dtype);

/** Runs `f` in a tidy scope, reads every output, and frees them. */
async function run(f: () => tf.Tensor | tf.Tensor[]): Promise<Array<{ shape: number[]; dtype: string; values: number[] }>> {
  const r = tf.tidy(f);
  const outs = Array.isArray(r) ? r : [r];
  const got = [];
  for (const t of outs) got.push({ shape: t.shape, dtype: t.dtype, values: Array.from(await t.data()) as number[] });
  tf.dispose(outs);
  return got;
}

async function expectResult(f: () => tf.Tensor, shape: number[], dtype: string, value?: number): Promise<void> {
  const [got] = await run(f);
  expect(got!.shape).toEqual(shape);
  expect(got!.dtype).toBe(dtype);
  const n = shape.reduce((a, b) => a * b, 1);
  expect(got!.values).toEqual(new Array<number>(n).fill(value ?? 0));
}

describe(`empty inputs on ${tf.getBackend()}`, () => {
  it('full reductions: sum 0, prod 1, mean NaN, max/min NaN, all true, any false', async () => {
    await expectResult(() => tf.sum(z([0, 3])), [], 'float32', 0);
    await expectResult(() => tf.sum(z([0], 'int32')), [], 'int32', 0);
    await expectResult(() => tf.sum(z([0], 'bool')), [], 'int32', 0);
    await expectResult(() => tf.prod(z([0, 3])), [], 'float32', 1);
    await expectResult(() => tf.mean(z([2, 0, 3])), [], 'float32', NaN);
    await expectResult(() => tf.max(z([0, 3])), [], 'float32', NaN);
    await expectResult(() => tf.min(z([0, 3])), [], 'float32', NaN);
    await expectResult(() => tf.all(z([0], 'bool')), [], 'bool', 1);
    await expectResult(() => tf.any(z([0], 'bool')), [], 'bool', 0);
  });

  it('reductions along an empty axis keep the other axes (keepDims too)', async () => {
    await expectResult(() => tf.sum(z([0, 3]), 0), [3], 'float32', 0);
    await expectResult(() => tf.sum(z([0, 3]), 0, true), [1, 3], 'float32', 0);
    await expectResult(() => tf.sum(z([2, 0, 3, 4]), [0, 1, 2]), [4], 'float32', 0);
    await expectResult(() => tf.sum(z([2, 0, 3]), 1), [2, 3], 'float32', 0);
    await expectResult(() => tf.prod(z([0, 3], 'int32'), 0), [3], 'int32', 1);
    await expectResult(() => tf.mean(z([0, 3]), 0), [3], 'float32', NaN);
    await expectResult(() => tf.mean(z([2, 0, 3]), undefined, true), [1, 1, 1], 'float32', NaN);
    await expectResult(() => tf.max(z([0, 3]), 0), [3], 'float32', NaN);
    await expectResult(() => tf.max(z([0, 3], 'int32'), 0), [3], 'int32', 0);
    await expectResult(() => tf.min(z([2, 0]), 1), [2], 'float32', NaN);
    await expectResult(() => tf.all(z([2, 0], 'bool'), 1), [2], 'bool', 1);
    await expectResult(() => tf.any(z([0, 3], 'bool'), 0), [3], 'bool', 0);
    await expectResult(() => tf.argMax(z([0, 3]), 0), [3], 'int32', 0);
    await expectResult(() => tf.argMin(z([0, 3]), 0), [3], 'int32', 0);
    // reducing a non-empty axis of an empty tensor gives an empty result
    await expectResult(() => tf.sum(z([0, 3]), 1), [0], 'float32');
    await expectResult(() => tf.argMax(z([0, 3]), 1), [0], 'int32');
  });

  it('ops built on reductions: moments, logSumExp, euclideanNorm, and their gradients', async () => {
    const [mean, variance] = await run(() => { const m = tf.moments(z([0, 3]), 0); return [m.mean, m.variance]; });
    expect(mean!.values.every(Number.isNaN) && variance!.values.every(Number.isNaN)).toBe(true);
    await expectResult(() => tf.euclideanNorm(z([0, 3])), [], 'float32', 0);
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(x))(z([0, 3])), [0, 3], 'float32');
    await expectResult(() => tf.grad((b: tf.Tensor) => tf.sum(tf.add(z([0, 3]), b)))(tf.ones([3])), [3], 'float32', 0);
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.relu(x)))(z([0, 3])), [0, 3], 'float32');
  });

  it('matMul with an empty dimension: zeros for k = 0, fused bias and activation still applied', async () => {
    await expectResult(() => tf.matMul(z([2, 0]), z([0, 3])), [2, 3], 'float32', 0);
    await expectResult(() => tf.matMul(z([0, 2]), z([3, 0]), true, true), [2, 3], 'float32', 0);
    await expectResult(() => tf.matMul(z([2, 2, 0]), z([2, 0, 3])), [2, 2, 3], 'float32', 0);
    await expectResult(() => tf.matMul(z([0, 4]), tf.ones([4, 3])), [0, 3], 'float32');
    await expectResult(() => tf.matMul(tf.ones([2, 4]), z([4, 0])), [2, 0], 'float32');
    const [fused] = await run(() => tf.fused.matMul({ a: z([2, 0]), b: z([0, 3]), bias: tf.tensor1d([1, -1, 2]), activation: 'relu' }));
    expect(fused!.values).toEqual([1, 0, 2, 1, 0, 2]);
    // the gradient of a matmul over zero rows is a zero matrix of the weight's shape
    await expectResult(() => tf.grad((w: tf.Tensor) => tf.sum(tf.matMul(z([0, 4]), w)))(tf.ones([4, 3])), [4, 3], 'float32', 0);
    await expectResult(() => tf.einsum('ij,jk->ik', z([2, 0]), z([0, 3])), [2, 3], 'float32', 0);
  });

  it('convolutions and pooling of an empty batch, with gradients', async () => {
    const w = (): tf.Tensor4D => tf.ones([3, 3, 2, 3]);
    await expectResult(() => tf.conv2d(z([0, 4, 4, 2]) as tf.Tensor4D, w(), 1, 'same'), [0, 4, 4, 3], 'float32');
    await expectResult(() => tf.fused.conv2d({ x: z([0, 4, 4, 2]) as tf.Tensor4D, filter: w(), strides: 1, pad: 'same', bias: tf.ones([3]), activation: 'relu' }), [0, 4, 4, 3], 'float32');
    await expectResult(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(z([0, 4, 4, 2]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')))(w()), [3, 3, 2, 3], 'float32', 0);
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w(), 1, 'same')))(z([0, 4, 4, 2])), [0, 4, 4, 2], 'float32');
    await expectResult(() => tf.grad((f: tf.Tensor) => tf.sum(tf.depthwiseConv2d(z([0, 4, 4, 2]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 2, 1])), [3, 3, 2, 1], 'float32', 0);
    await expectResult(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv3d(z([0, 3, 3, 3, 2]) as tf.Tensor5D, f as tf.Tensor5D, 1, 'same')))(tf.ones([2, 2, 2, 2, 3])), [2, 2, 2, 2, 3], 'float32', 0);
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(z([0, 4, 4, 2])), [0, 4, 4, 2], 'float32');
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')))(z([0, 4, 4, 2])), [0, 4, 4, 2], 'float32');
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [6, 6])))(z([0, 4, 4, 2])), [0, 4, 4, 2], 'float32');
  });

  it('concat, gather, transpose, slice and cast with empty operands', async () => {
    const [c] = await run(() => tf.concat([z([0, 3]), tf.ones([2, 3]), z([0, 3])], 0));
    expect(c!.shape).toEqual([2, 3]);
    expect(c!.values).toEqual([1, 1, 1, 1, 1, 1]);
    await expectResult(() => tf.concat([z([2, 0]), z([2, 0])], 1), [2, 0], 'float32');
    await expectResult(() => tf.gather(tf.ones([4, 3]), tf.tensor1d([], 'int32')), [0, 3], 'float32');
    await expectResult(() => tf.gather(z([0, 3]), tf.tensor1d([], 'int32')), [0, 3], 'float32');
    await expectResult(() => tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, tf.tensor1d([], 'int32'))))(tf.ones([4, 3])), [4, 3], 'float32', 0);
    await expectResult(() => tf.transpose(z([0, 3, 2]), [1, 2, 0]), [3, 2, 0], 'float32');
    await expectResult(() => tf.slice(tf.ones([4, 3]), [1, 0], [0, 3]), [0, 3], 'float32');
    await expectResult(() => tf.cast(z([0, 3]), 'int32'), [0, 3], 'int32');
    await expectResult(() => tf.cast(z([0], 'bool'), 'float32'), [0], 'float32');
  });

  it('topk, softmax, segment sums and scatters with nothing to read', async () => {
    const [v, i] = await run(() => { const r = tf.topk(z([0, 3]), 2); return [r.values, r.indices]; });
    expect([v!.shape, i!.shape, i!.dtype]).toEqual([[0, 2], [0, 2], 'int32']);
    const [v0] = await run(() => tf.topk(tf.ones([3, 4]), 0).values);
    expect(v0!.shape).toEqual([3, 0]);
    const [v1] = await run(() => tf.topk(z([3, 0]), 0).values);
    expect(v1!.shape).toEqual([3, 0]);
    await expectResult(() => tf.softmax(z([3, 0])), [3, 0], 'float32');
    await expectResult(() => tf.softmax(z([0, 3])), [0, 3], 'float32');
    await expectResult(() => tf.unsortedSegmentSum(z([0, 3]), tf.tensor1d([], 'int32'), 4), [4, 3], 'float32', 0);
    await expectResult(() => tf.scatterND(tf.zeros([0, 1], 'int32'), z([0, 3]), [4, 3]), [4, 3], 'float32', 0);
    await expectResult(() => tf.tensorScatterUpdate(tf.ones([4, 3]), tf.zeros([0, 1], 'int32'), z([0, 3])), [4, 3], 'float32', 1);
    await expectResult(() => tf.bincount(tf.tensor1d([], 'int32'), tf.tensor1d([]), 4), [4], 'float32', 0);
  });
});
