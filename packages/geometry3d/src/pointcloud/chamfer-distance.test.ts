import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { chamferDistance, type BatchReduction, type PointReduction } from './chamfer-distance.js';

interface Case {
  B: number;
  P1: number;
  P2: number;
  xl: number[] | null;
  yl: number[] | null;
  weights: number[] | null;
  br: 'mean' | 'sum' | null;
  pr: 'mean' | 'sum' | null;
  norm: 1 | 2;
  single: boolean;
  abs_cos: boolean;
  x: number[];
  y: number[];
  xn: number[] | null;
  yn: number[] | null;
  loss: number[];
  loss_shape: number[];
  loss_normals: number[] | null;
  grad_x: number[];
  grad_y: number[];
  grad_xn: number[] | null;
}
const cases = JSON.parse(readFileSync(new URL('../../fixtures/chamfer.json', import.meta.url), 'utf8')) as Case[];

const variable = (data: number[], shape: number[]): tf.Variable => {
  const t = tf.tensor(data, shape);
  const v = tf.variable(t);
  t.dispose();
  return v;
};

/** Brute-force Chamfer (mean/mean, squared distances): the obviously correct reference. */
function bruteChamfer(x: Float32Array, y: Float32Array, P1: number, P2: number): number {
  const nearest = (a: Float32Array, b: Float32Array, n: number, m: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < m; j++) {
        const dx = a[3 * i]! - b[3 * j]!;
        const dy = a[3 * i + 1]! - b[3 * j + 1]!;
        const dz = a[3 * i + 2]! - b[3 * j + 2]!;
        best = Math.min(best, dx * dx + dy * dy + dz * dz);
      }
      sum += best;
    }
    return sum / n;
  };
  return nearest(x, y, P1, P2) + nearest(y, x, P2, P1);
}

describe('chamferDistance', () => {
  it('computes the simple two-sided mean', () => {
    const x = tf.tensor3d([[[0, 0, 0], [1, 0, 0]]]);
    const y = tf.tensor3d([[[0, 0, 1]]]);
    const { loss, lossY, lossNormals } = chamferDistance(x, y);
    expectClose(loss, [2.5]);
    expect(loss.shape).toEqual([]);
    expect(lossY).toBeNull();
    expect(lossNormals).toBeNull();
    tf.dispose([x, y, loss]);
  });

  it.each(cases.map((c, i) => [i, c] as const))('matches PyTorch3D semantics with lengths/normals/weights/norm (fixture %i)', (_, c) => {
    const x = variable(c.x, [c.B, c.P1, 3]);
    const y = variable(c.y, [c.B, c.P2, 3]);
    const xn = c.xn ? variable(c.xn, [c.B, c.P1, 3]) : null;
    const yn = c.yn ? variable(c.yn, [c.B, c.P2, 3]) : null;
    const weights = c.weights ? tf.tensor1d(c.weights) : null;
    const vars = [x, y, ...(xn ? [xn] : [])];
    let lossN: tf.Tensor | null = null;
    let lossT: tf.Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const r = chamferDistance(x, y, {
        xLengths: c.xl,
        yLengths: c.yl,
        xNormals: xn,
        yNormals: yn,
        weights,
        batchReduction: (c.br ?? 'none') as BatchReduction,
        pointReduction: (c.pr ?? 'none') as PointReduction,
        norm: c.norm,
        singleDirectional: c.single,
        absCosine: c.abs_cos,
      });
      lossT = tf.keep(tf.clone(r.loss));
      lossN = r.lossNormals ? tf.keep(tf.clone(r.lossNormals)) : null;
      return (r.lossNormals ? tf.add(tf.sum(r.loss), tf.sum(r.lossNormals)) : tf.sum(r.loss)) as tf.Scalar;
    }, vars);
    expect(lossT!.shape).toEqual(c.loss_shape);
    expectClose(lossT!, c.loss, { atol: 1e-5, rtol: 1e-4 });
    if (c.loss_normals) expectClose(lossN!, c.loss_normals, { atol: 1e-5, rtol: 1e-4 });
    expectClose(grads[x.name]!, c.grad_x, { atol: 1e-5, rtol: 1e-4 });
    expectClose(grads[y.name]!, c.grad_y, { atol: 1e-5, rtol: 1e-4 });
    if (xn) expectClose(grads[xn.name]!, c.grad_xn!, { atol: 1e-5, rtol: 1e-4 });
    tf.dispose([value, ...Object.values(grads), lossT!, ...(lossN ? [lossN] : []), ...vars, ...(yn ? [yn] : []), ...(weights ? [weights] : [])]);
  });

  it('returns per-point terms with pointReduction none', () => {
    const g = new Generator(5);
    const x = randn([2, 5, 3], { generator: g });
    const y = randn([2, 4, 3], { generator: g });
    const r = chamferDistance(x, y, { pointReduction: 'none', batchReduction: 'none' });
    expect(r.loss.shape).toEqual([2, 5]);
    expect(r.lossY!.shape).toEqual([2, 4]);
    const m = chamferDistance(x, y);
    tf.tidy(() => expectClose(tf.add(tf.mean(tf.mean(r.loss, 1)), tf.mean(tf.mean(r.lossY!, 1))), m.loss, { atol: 1e-6 }));
    tf.dispose([x, y, r.loss, r.lossY!, m.loss]);
  });

  it('matches brute force on clouds large enough to tile', () => {
    const g = new Generator(6);
    const x = randn([1, 2500, 3], { generator: g });
    const y = randn([1, 2200, 3], { generator: g, std: 1.5 });
    const { loss } = chamferDistance(x, y);
    expectClose(loss, [bruteChamfer(x.dataSync() as Float32Array, y.dataSync() as Float32Array, 2500, 2200)], { rtol: 1e-5 });
    tf.dispose([x, y, loss]);
  });

  it('is 0, with zero gradients, for empty clouds (no uninitialised sums)', () => {
    tf.tidy(() => {
      const y = tf.ones([1, 2, 3]);
      for (const x of [tf.zeros([1, 0, 3]), tf.zeros([0, 0, 3])]) {
        const yy = x.shape[0] === 0 ? tf.zeros([0, 2, 3]) : y;
        expectClose(chamferDistance(x, yy).loss, [0]);
        const [, gy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => chamferDistance(a, b).loss)([x, yy]);
        expectClose(gy!, new Array(yy.size).fill(0));
      }
    });
  });

  it('rejects bad input with a FoveaError', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, 4, 3]);
      expect(() => chamferDistance(x, tf.zeros([3, 4, 3]))).toThrow(/chamferDistance: y must be shape \[B, P2, D\] with B = 2, D = 3, got shape \[3, 4, 3\]/);
      expect(() => chamferDistance(x, tf.zeros([2, 4, 2]))).toThrow(/chamferDistance: y must be/);
      expect(() => chamferDistance(x, x, { pointReduction: 'none' })).toThrow(/batchReduction must be 'none' when pointReduction is 'none'/);
      expect(() => chamferDistance(x, x, { norm: 3 as 2 })).toThrow(/options.norm must be 1 or 2, got 3/);
      expect(() => chamferDistance(x, x, { xNormals: tf.zeros([2, 5, 3]) })).toThrow(/options.xNormals must be shape \[2, 4, 3\]/);
    });
  });
});
