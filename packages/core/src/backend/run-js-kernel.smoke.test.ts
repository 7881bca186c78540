/**
 * runJsKernel on every lane: on wasm and cpu a kernel body reads its inputs
 * in place and writes backend-allocated outputs (float32, int32, bool; zeroed
 * or not; outputs big enough to grow the wasm heap; several outputs; empty
 * tensors); a throwing body frees its outputs. On webgpu it refuses with a
 * clear error.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isJsKernelBackend, runJsKernel, type KernelArray } from './run-js-kernel.js';

const backendName = tf.getBackend();
const onCpuMemory = isJsKernelBackend(backendName);
const registered: string[] = [];

/** Registers a test kernel on the active backend whose function calls runJsKernel with `spec`. */
function kernel(name: string, spec: (inputs: tf.TensorInfo[], attrs: Record<string, unknown>, backend: object) => tf.TensorInfo[]): void {
  const kernelName = `FoveaTest${name}`;
  tf.registerKernel({ kernelName, backendName, kernelFunc: ({ inputs, attrs, backend }) => spec(Object.values(inputs) as tf.TensorInfo[], attrs as Record<string, unknown>, backend) });
  registered.push(kernelName);
}

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor[] {
  const r = tf.engine().runKernel(`FoveaTest${name}`, inputs, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(r) ? (r as tf.Tensor[]) : [r as tf.Tensor];
}

kernel('Stats', ([x], _a, backend) => {
  const [n, d] = x!.shape as [number, number];
  // per row: the sum (float32), the argmax (int32), whether any value is negative (bool)
  return runJsKernel(backend, [x!], [{ shape: [n], dtype: 'float32' }, { shape: [n], dtype: 'int32' }, { shape: [n], dtype: 'bool' }], ([xv], [sum, arg, neg]) => {
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      for (let j = 0; j < d; j++) {
        const v = xv![i * d + j]!;
        sum![i] += v;
        if (v > best) { best = v; arg![i] = j; }
        if (v < 0) neg![i] = 1;
      }
    }
  });
});
kernel('Big', ([x], attrs, backend) =>
  runJsKernel(backend, [x!], [{ shape: [attrs['n'] as number], dtype: 'float32' }], ([xv], [out]) => {
    // every element written, so no zeroing; the input view must survive the big allocation
    for (let i = 0; i < out!.length; i++) out![i] = xv![i % xv!.length]!;
  }, { zeroed: false }),
);
kernel('Fails', ([x], _a, backend) =>
  runJsKernel(backend, [x!], [{ shape: [1000], dtype: 'float32' }], () => {
    throw new Error('bad input');
  }),
);
kernel('Ints', ([a, b], _a, backend) =>
  runJsKernel(backend, [a!, b!], [{ shape: a!.shape.slice(), dtype: 'int32' }], ([av, bv], [out]) => {
    for (let i = 0; i < av!.length; i++) out![i] = av![i]! * (bv![i]! ? 1 : -1);
  }),
);

afterAll(() => {
  for (const k of registered) tf.unregisterKernel(k, backendName);
});

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from((await t.data()) as KernelArray);
}

describe.runIf(onCpuMemory)(`runJsKernel on ${backendName}`, () => {
  it('reads inputs in place and writes float32, int32 and bool outputs', async () => {
    const x = tf.tensor2d([[1, 5, -2], [0, 0.5, 3]]);
    const [sum, arg, neg] = run('Stats', { x });
    expect([sum!.dtype, arg!.dtype, neg!.dtype]).toEqual(['float32', 'int32', 'bool']);
    expect(await values(sum!)).toEqual([4, 3.5]);
    expect(await values(arg!)).toEqual([1, 2]);
    expect(await values(neg!)).toEqual([1, 0]);
    tf.dispose([x, sum!, arg!, neg!]);
  });

  it('takes int32 and bool inputs, and empty tensors', async () => {
    const a = tf.tensor1d([3, 4, 5], 'int32'), b = tf.tensor1d([true, false, true], 'bool');
    const [y] = run('Ints', { a, b });
    expect(await values(y!)).toEqual([3, -4, 5]);
    const a0 = tf.tensor1d([], 'int32'), b0 = tf.tensor1d([], 'bool');
    const [e] = run('Ints', { a: a0, b: b0 });
    expect(e!.shape).toEqual([0]);
    tf.dispose([a, b, a0, b0, y!, e!]);
  });

  it('outputs larger than the heap: the input views are taken after the allocation', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const [big] = run('Big', { x }, { n: 12_000_000 }); // 48 MB: grows the wasm heap
    const v = (await big!.data()) as Float32Array;
    expect([v[0], v[1], v[2], v[3], v[11_999_999]]).toEqual([1, 2, 3, 1, 3]);
    tf.dispose([x, big!]);
  });

  it('frees its outputs when the body throws', () => {
    const x = tf.tensor1d([1]);
    const ids = tf.engine().backend.numDataIds();
    expect(() => run('Fails', { x })).toThrow('bad input');
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    x.dispose();
  });

  it('rejects dtypes it cannot view', () => {
    expect(() => runJsKernel(tf.backend(), [], [{ shape: [1], dtype: 'complex64' as never }], () => undefined)).toThrow("dtype 'complex64'");
  });
});

describe.runIf(!onCpuMemory)(`runJsKernel on ${backendName}`, () => {
  it('says the data is not in CPU memory', () => {
    expect(isJsKernelBackend(backendName)).toBe(false);
    expect(() => runJsKernel(tf.backend(), [], [{ shape: [1], dtype: 'float32' }], () => undefined)).toThrow('keeps its tensors off the CPU');
  });
});
