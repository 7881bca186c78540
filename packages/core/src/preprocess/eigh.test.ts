import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { jacobiEigen } from './_jacobi.js';
import { tridiagonalQLEigen } from './_tridiagonal-ql.js';
import { eigh, eighArrays, symmetricEigen, type EighMethod } from './eigh.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_preprocess.json', import.meta.url), 'utf8')) as {
  eigh: { name: string; a: JsonTensor; eigenvalues: JsonTensor }[];
};

/** max |A v - λ v| over all pairs and max |VᵀV - I|, in float64. */
function residuals(a: number[], n: number, values: Float64Array, vectors: Float64Array): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += a[r * n + c]! * vectors[i * n + c]!;
      eig = Math.max(eig, Math.abs(s - values[i]! * vectors[i * n + r]!));
    }
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += vectors[i * n + c]! * vectors[j * n + c]!;
      orth = Math.max(orth, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('eigh', () => {
  for (const c of fx.eigh) {
    for (const method of ['jacobi', 'ql', 'auto'] as EighMethod[]) {
      it(`${c.name} with ${method}: eigenvalues as torch.linalg.eigh, orthonormal eigenvectors`, async () => {
        const a = fromJson(c.a);
        const { eigenvalues, eigenvectors } = await eigh(a, { method });
        tf.tidy(() => expectClose(eigenvalues, fromJson(c.eigenvalues), { atol: 1e-5, rtol: 1e-5 }));
        // A V = V diag(λ) in float32
        tf.tidy(() => expectClose(tf.matMul(a, eigenvectors), tf.mul(eigenvectors, eigenvalues), { atol: 1e-4, rtol: 1e-4 }));
        tf.dispose([a, eigenvalues, eigenvectors]);
      });
    }
  }

  it('both solvers agree to float64 precision on a random symmetric matrix', () => {
    const n = 40;
    const a: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.push(Math.sin(i * 7 + j * 13) + Math.sin(j * 7 + i * 13));
    for (const solve of [jacobiEigen, tridiagonalQLEigen]) {
      const r = solve(Float64Array.from(a), n)!;
      const { eig, orth } = residuals(a, n, r.values, r.vectors);
      expect(eig).toBeLessThan(1e-12);
      expect(orth).toBeLessThan(1e-12);
    }
    const j = symmetricEigen('t', 'a', Float64Array.from(a), n, 'jacobi').values;
    const q = symmetricEigen('t', 'a', Float64Array.from(a), n, 'ql').values;
    j.forEach((v, i) => expect(Math.abs(v - q[i]!)).toBeLessThan(1e-12));
  });

  it('handles a 0×0 matrix and rejects bad input', async () => {
    const e = tf.zeros([0, 0]);
    const r = await eigh(e);
    expect(r.eigenvalues.shape).toEqual([0]);
    tf.dispose([e, r.eigenvalues, r.eigenvectors]);
    const rect = tf.zeros([2, 3]);
    await expect(eigh(rect)).rejects.toThrow('eigh: a must be a square matrix [D, D], got shape [2, 3]');
    const nan = tf.tensor2d([[1, NaN], [NaN, 1]]);
    await expect(eigh(nan)).rejects.toThrow('eigh: a must be finite values, got NaN at entry 1 of the 2×2 matrix it decomposes');
    tf.dispose([rect, nan]);
  });

  it('eighArrays: eigenvalues alone equal those computed with the vectors, on both solvers; bad input named', () => {
    const n = 90; // above the Jacobi limit: 'auto' takes QL
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = Math.cos(i * 3 + j * 5) + Math.cos(j * 3 + i * 5);
    const copy = Float64Array.from(a);
    const full = eighArrays(a, n);
    const { eig, orth } = residuals(Array.from(a), n, full.values, full.vectors!);
    expect(eig).toBeLessThan(1e-11);
    expect(orth).toBeLessThan(1e-11);
    for (const method of ['auto', 'ql', 'jacobi'] as EighMethod[]) {
      const only = eighArrays(a, n, { method, vectors: false });
      expect(only.vectors).toBeNull();
      only.values.forEach((v, i) => {
        expect(Math.abs(v - full.values[i]!)).toBeLessThan(1e-10);
        if (i > 0) expect(v).toBeGreaterThanOrEqual(only.values[i - 1]!);
      });
    }
    expect(a).toEqual(copy); // input untouched
    expect(eighArrays(Float64Array.of(5), 1, { vectors: false }).values).toEqual(Float64Array.of(5));
    expect(() => eighArrays(new Float64Array(3), 2)).toThrow('eighArrays: a must be a Float64Array of n × n = 4 entries, got 3 entries');
    expect(() => eighArrays(new Float64Array(4), -2)).toThrow('eighArrays: n must be a non-negative integer, got -2');
    expect(() => eighArrays(Float64Array.of(1, NaN, NaN, 1), 2, { op: 'fid' })).toThrow('fid: a must be finite values, got NaN at entry 1 of the 2×2 matrix it decomposes');
  });
});
