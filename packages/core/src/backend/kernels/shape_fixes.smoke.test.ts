/**
 * Forward-pass fixes on every lane: matMul broadcasting batch dims both ways
 * (tfjs 4.22 pairs the wrong matrices on cpu, wasm and webgpu), cumsum /
 * cumprod with a negative axis (empty on cpu, out of bounds on wasm) or
 * `reverse` (stale shader on webgpu), float casts of masks that WebGPU
 * shaders can read (a transpose of one used to fail to compile), strided
 * slices that shrink and step, gathers with batchDims (wrong on wasm), and
 * einsums with an index of one operand only (wrong shapes everywhere), and
 * matmuls by differently reshaped views of one tensor (a stale XNNPACK
 * operator on wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** Runs `f` in a tidy scope and reads its result. */
async function read(f: () => tf.Tensor): Promise<number[]> {
  const t = tf.tidy(f);
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** Plain JS cumulative sum/product of a `[rows, n]` row-major array along its last axis. */
function scanRows(v: number[], n: number, op: 'sum' | 'prod', exclusive: boolean, reverse: boolean): number[] {
  const out = new Array<number>(v.length);
  for (let r = 0; r < v.length / n; r++) {
    let acc = op === 'sum' ? 0 : 1;
    for (let s = 0; s < n; s++) {
      const j = reverse ? n - 1 - s : s;
      const x = v[r * n + j]!;
      if (!exclusive) acc = op === 'sum' ? acc + x : acc * x;
      out[r * n + j] = acc;
      if (exclusive) acc = op === 'sum' ? acc + x : acc * x;
    }
  }
  return out;
}

function expectNear(got: number[], want: number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!)));
}

describe(`forward shape fixes on ${tf.getBackend()}`, () => {
  it('matMul broadcasts batch dims both ways ([2, 1] with [3])', async () => {
    const a = tf.randomNormal([2, 1, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 2);
    const got = await read(() => tf.matMul(a, b));
    // reference: every batch pair by hand
    const av = await a.data(), bv = await b.data();
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let m = 0; m < 3; m++) for (let n = 0; n < 2; n++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += av[i * 12 + m * 4 + k]! * bv[j * 8 + k * 2 + n]!;
      want.push(s);
    }
    expectNear(got, want, 1e-5);
    // transposed operands take the same path
    expectNear(await read(() => tf.matMul(tf.transpose(a, [0, 1, 3, 2]), tf.transpose(b, [0, 2, 1]), true, true)), want, 1e-5);
    tf.dispose([a, b]);
  });

  it('matMul by one tensor reshaped two ways (wasm cached the first shape and aborted)', async () => {
    const w = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    expect(await read(() => tf.matMul(tf.ones([1, 2]), tf.reshape(w, [2, 3])))).toEqual([5, 7, 9]);
    expect(await read(() => tf.matMul(tf.ones([1, 3]), tf.reshape(w, [3, 2])))).toEqual([9, 12]);
    expect(await read(() => tf.matMul(tf.ones([2, 6]), tf.reshape(w, [6, 1])))).toEqual([21, 21]);
    expect(await read(() => tf.matMul(tf.ones([1, 2]), tf.reshape(w, [2, 3])))).toEqual([5, 7, 9]);
    expect(await read(() => tf.matMul(tf.reshape(w, [3, 2]), tf.reshape(w, [3, 2]), true, false))).toEqual([35, 44, 44, 56]);
    w.dispose();
  });

  it('cumsum / cumprod: negative axes, exclusive and reverse, lengths that change between calls', async () => {
    for (const n of [3, 5, 2]) {
      const x = tf.randomUniform([2, n], 0.5, 1.5, 'float32', n);
      const xv = Array.from(await x.data());
      for (const exclusive of [false, true]) for (const reverse of [false, true]) {
        expectNear(await read(() => tf.cumsum(x, -1, exclusive, reverse)), scanRows(xv, n, 'sum', exclusive, reverse));
        expectNear(await read(() => tf.cumprod(x, -1, exclusive, reverse)), scanRows(xv, n, 'prod', exclusive, reverse));
      }
      // a leading axis: the transpose of the scan of the transpose
      expectNear(await read(() => tf.transpose(tf.cumsum(tf.transpose(x), -2, false, true))), scanRows(xv, n, 'sum', false, true));
      x.dispose();
    }
  });

  it('stridedSlice that shrinks one axis and steps another (x[1, :, ::3], x[::-2, 2])', async () => {
    const x = (): tf.Tensor => tf.reshape(tf.range(0, 120), [4, 5, 6]);
    // x[1, 0:5, 0:6:3]: rows 30 + 6 r, columns 0 and 3
    expect(await read(() => tf.stridedSlice(x(), [1, 0, 0], [2, 5, 6], [1, 1, 3], 0, 0, 0, 0, 1))).toEqual([30, 33, 36, 39, 42, 45, 48, 51, 54, 57]);
    // x[::-2, 2, 1]: 3 * 30 + 13, 1 * 30 + 13
    expect(await read(() => tf.stridedSlice(x(), [-1, 2, 1], [-5, 3, 2], [-2, 1, 1], 0, 0, 0, 0, 6))).toEqual([103, 43]);
  });

  it('gather with batchDims (per-sample indices)', async () => {
    const x = (): tf.Tensor => tf.reshape(tf.range(0, 36), [3, 2, 6]);
    const idx = (): tf.Tensor => tf.tensor3d([[[0, 5, 2], [1, 1, 3]], [[4, 0, 0], [5, 2, 1]], [[3, 3, 3], [0, 1, 2]]], [3, 2, 3], 'int32');
    expect(await read(() => tf.gather(x(), idx(), 2, 2))).toEqual([0, 5, 2, 7, 7, 9, 16, 12, 12, 23, 20, 19, 27, 27, 27, 30, 31, 32]);
    const idx1 = (): tf.Tensor => tf.tensor2d([[0, 1], [1, 1], [0, 0]], [3, 2], 'int32');
    expect(await read(() => tf.gather(x(), idx1(), 1, 1))).toEqual([...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], ...[18, 19, 20, 21, 22, 23, 18, 19, 20, 21, 22, 23], ...[24, 25, 26, 27, 28, 29, 24, 25, 26, 27, 28, 29]]);
  });

  it('einsum with indices only one operand has (tfjs returns wrong shapes), against brute force', async () => {
    const cases: Array<[string, number[][]]> = [
      ['ijk,k->j', [[2, 3, 4], [4]]], ['ij,jk->k', [[2, 3], [3, 4]]], ['ij,k->', [[2, 3], [4]]], ['ij,kj->', [[2, 3], [4, 3]]],
      ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]], ['ij,jk->ki', [[2, 3], [3, 4]]], ['bi,bj->bij', [[2, 3], [2, 2]]], ['ijk->kj', [[2, 3, 2]]],
    ];
    let seed = 40;
    for (const [eq, shapes] of cases) {
      const xs = shapes.map((sh) => tf.randomUniform(sh, -1, 1, 'float32', seed++));
      const vals = await Promise.all(xs.map(async (x) => Array.from(await x.data())));
      const [lhs, out] = eq.split('->') as [string, string];
      const subs = lhs.split(',');
      const size: Record<string, number> = {};
      subs.forEach((sub, i) => [...sub].forEach((l, k) => (size[l] = shapes[i]![k]!)));
      const letters = Object.keys(size);
      const outSize = [...out].reduce((a, l) => a * size[l]!, 1);
      const want = new Array<number>(outSize).fill(0);
      const at = new Map<string, number>();
      const flat = (ls: string, dims: number[]): number => [...ls].reduce((f, l, k) => f * dims[k]! + at.get(l)!, 0);
      const visit = (k: number): void => {
        if (k === letters.length) {
          const p = subs.reduce((acc, sub, i) => acc * vals[i]![flat(sub, shapes[i]!)]!, 1);
          want[flat(out, [...out].map((l) => size[l]!))] += p;
          return;
        }
        for (let v = 0; v < size[letters[k]!]!; v++) { at.set(letters[k]!, v); visit(k + 1); }
      };
      visit(0);
      const y = tf.einsum(eq, ...xs);
      expect(y.shape, eq).toEqual([...out].map((l) => size[l]!));
      expectNear(Array.from(await y.data()), want, 1e-5);
      tf.dispose([y, ...xs]);
    }
  });

  it('a float cast of a boolean mask can be transposed, sliced and concatenated', async () => {
    const mask = (): tf.Tensor => tf.cast(tf.greater(tf.tensor2d([[1, -1, 2], [-3, 4, 0]]), 0), 'float32');
    expect(await read(() => tf.transpose(mask()))).toEqual([1, 0, 0, 1, 1, 0]);
    expect(await read(() => tf.concat([mask(), tf.ones([1, 3])], 0))).toEqual([1, 0, 1, 0, 1, 0, 1, 1, 1]);
    expect(await read(() => tf.transpose(tf.reshape(tf.cast(tf.tensor1d([3, -2, 7], 'int32'), 'float32'), [3, 1])))).toEqual([3, -2, 7]);
  });
});
