/**
 * Fovea's gradients against exact references (wasm): for an op linear in an
 * input, the gradient of sum(f(x) * g) at element i is <f(e_i), g> for the
 * basis tensor e_i, computed with forward ops only; cumprod, which is linear
 * in each single element, against central differences (exact up to
 * rounding). Plus registration: Fovea's configs replace tfjs's, idempotently.
 * The PyTorch fixtures run on every lane in gradients.smoke.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adjointGrad } from '@fovea/test-utils';
import { foveaGradients, registerFoveaGradients } from './index.js';

let seed = 11;
const rnd = (shape: number[]): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed++);

function autograd(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], k: number, g: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const d = tf.grad((a: tf.Tensor) => {
      const args = inputs.slice();
      args[k] = a;
      return tf.sum(tf.mul(f(...args), g));
    })(inputs[k]!);
    expect(d.shape).toEqual(inputs[k]!.shape);
    return d.dataSync() as Float32Array;
  });
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let m = 0, s = 1;
  for (let i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  return m / s;
}

/** Checks the gradient of `f` in its input `k` (linear in it) against the adjoint. */
function checkLinear(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], k: number): void {
  const g = tf.tidy(() => rnd(f(...inputs).shape));
  expect(maxRelErr(autograd(f, inputs, k, g), adjointGrad(f, inputs, k, g))).toBeLessThan(2e-5);
  g.dispose();
}

function withInputs(shapes: number[][], body: (xs: tf.Tensor[]) => void): void {
  const xs = shapes.map(rnd);
  try {
    body(xs);
  } finally {
    tf.dispose(xs);
  }
}

describe('Fovea gradients (exact references)', () => {
  it('replace tfjs-core’s, idempotently, and come back after someone else registers', () => {
    const mine = tf.getGradient('BatchMatMul');
    registerFoveaGradients();
    registerFoveaGradients();
    expect(tf.getGradient('BatchMatMul')).toBe(mine);
    tf.registerGradient({ kernelName: 'BatchMatMul', gradFunc: () => ({}) });
    registerFoveaGradients();
    expect(tf.getGradient('BatchMatMul')).toBe(mine);
    expect(foveaGradients()).toEqual(expect.arrayContaining(['Conv2D', 'StridedSlice', 'GatherNd', 'GatherV2', 'ScatterNd', 'Cumprod', 'TopK', 'Conv3DBackpropInputV2', 'Einsum', 'Greater']));
  });

  it('stridedSlice: steps, negative strides, masks, shrink, new and ellipsis axes', () => {
    const specs: Array<[number[], number[], number[], number[], number, number, number, number, number]> = [
      [[6, 5], [1, 4], [6, 0], [2, -1], 0, 0, 0, 0, 0],
      [[4, 5, 6], [0, 2, 1], [0, 4, 6], [1, 1, 2], 1, 1, 0, 0, 0],
      [[4, 5, 6], [1, 0, 0], [2, 5, 6], [1, 1, 3], 0, 0, 0, 0, 1],
      [[4, 5, 6], [0, 1], [0, 3], [1, 1], 0, 0, 1, 0, 0],
      [[4, 5], [0, 1], [0, 3], [1, 1], 0, 0, 0, 1, 0],
      [[5, 4], [-1, 3], [-6, 0], [-2, -1], 0, 0, 0, 0, 0],
    ];
    for (const [shape, begin, end, strides, bm, em, ell, na, sh] of specs) {
      withInputs([shape], (xs) => checkLinear((x) => tf.stridedSlice(x, begin, end, strides, bm, em, ell, na, sh), xs, 0));
    }
  });

  it('gatherND / scatterND with repeated indices, topk with fixed values', () => {
    const gi = tf.tensor2d([[0, 1], [3, 2], [0, 1], [2, 4]], [4, 2], 'int32');
    withInputs([[4, 5, 3]], (xs) => checkLinear((p) => tf.gatherND(p, gi), xs, 0));
    const si = tf.tensor2d([[1], [3], [1]], [3, 1], 'int32');
    withInputs([[3, 5]], (xs) => checkLinear((u) => tf.scatterND(si, u, [4, 5]), xs, 0));
    // topk is linear in x once the selected positions are fixed: compare with gathering them
    withInputs([[3, 2, 6]], ([x]) => {
      const idx = tf.tidy(() => tf.topk(x!, 3).indices);
      const got = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.topk(a, 3).values, tf.reshape(tf.range(1, 19), [3, 2, 3]))))(x!));
      const want = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, idx, 2, 2), tf.reshape(tf.range(1, 19), [3, 2, 3]))))(x!));
      expect(maxRelErr(got.dataSync() as Float32Array, want.dataSync() as Float32Array)).toBe(0);
      tf.dispose([idx, got, want]);
    });
    tf.dispose([gi, si]);
  });

  it('gather with any batchDims (tfjs handles 0 and 1 only)', () => {
    const cases: Array<[number[], number[], number[], number, number]> = [
      [[3, 2, 6], [3, 2, 3], [0, 5, 2, 1, 1, 3, 4, 0, 0, 5, 2, 1, 3, 3, 3, 0, 1, 2], 2, 2],
      [[3, 4, 5], [3, 2], [0, 3, 1, 1, 2, 0], 1, 1],
      [[3, 4, 5], [3, 2], [4, 0, 1, 1, 2, 3], 2, 1],
      [[4, 3], [5], [0, 3, 3, 1, 0], 0, 0],
      [[2, 5, 3], [2, 2], [4, 4, 0, 1], 1, 0],
    ];
    for (const [xs, is, iv, axis, batchDims] of cases) {
      const idx = tf.tensor(iv, is, 'int32');
      withInputs([xs], (ins) => checkLinear((x) => tf.gather(x, idx, axis, batchDims), ins, 0));
      idx.dispose();
    }
  });

  it('cumsum along every axis, exclusive and reversed', () => {
    for (const axis of [0, 1, 2, -1]) for (const exclusive of [false, true]) for (const reverse of [false, true]) {
      withInputs([[3, 4, 2]], (xs) => checkLinear((x) => tf.cumsum(x, axis, exclusive, reverse), xs, 0));
    }
  });

  it('dilated conv2d / depthwiseConv2d / conv3d and conv3dTranspose, both operands', () => {
    const cases: Array<[(x: tf.Tensor, w: tf.Tensor) => tf.Tensor, number[], number[]]> = [
      [(x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2), [1, 6, 5, 2], [3, 3, 2, 2]],
      [(x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, [[0, 0], [2, 1], [0, 3], [0, 0]], 'NHWC', [3, 2]), [2, 7, 6, 1], [2, 3, 1, 2]],
      [(x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', [2, 3]), [1, 7, 8, 2], [2, 2, 2, 2]],
      [(x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'valid', 'NDHWC', [1, 2, 2]), [1, 3, 5, 5, 1], [2, 2, 2, 1, 2]],
      [(x, w) => tf.conv3dTranspose(x as tf.Tensor5D, w as tf.Tensor5D, [1, 5, 5, 3, 2], [2, 2, 1], 'same'), [1, 3, 3, 3, 2], [2, 3, 2, 2, 2]],
    ];
    for (const [f, xs, ws] of cases) {
      withInputs([xs, ws], (ins) => {
        checkLinear(f, ins, 0);
        checkLinear(f, ins, 1);
      });
    }
  });

  it('einsum: matmul, batched, outer and dot products, a sum, a transpose', () => {
    const cases: Array<[string, number[][]]> = [
      ['ij,jk->ik', [[3, 4], [4, 2]]],
      ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
      ['i,j->ij', [[3], [4]]],
      ['i,i->', [[5], [5]]],
      ['ij,j->i', [[3, 4], [4]]],
      ['ijk,k->j', [[2, 3, 4], [4]]],
      ['ij->j', [[3, 4]]],
      ['ij->ji', [[3, 4]]],
      ['ij->', [[2, 3]]],
    ];
    for (const [eq, shapes] of cases) {
      withInputs(shapes, (ins) => {
        const f = (...xs: tf.Tensor[]): tf.Tensor => tf.einsum(eq, ...xs);
        for (let k = 0; k < ins.length; k++) checkLinear(f, ins, k);
      });
    }
  });

  it('cumprod matches central differences, zeros included (it is linear in each element)', () => {
    const x = tf.tensor2d([[0.5, -1.2, 0, 2, 0.7], [0, 1.5, -0.3, 0, 2.5], [1.1, 0.9, -2, 0.4, 0]]);
    const xv = x.dataSync();
    const g = rnd([3, 5]);
    const gv = g.dataSync();
    for (const axis of [0, 1]) for (const exclusive of [false, true]) for (const reverse of [false, true]) {
      const f = (a: tf.Tensor): tf.Tensor => tf.cumprod(a, axis, exclusive, reverse);
      const got = autograd(f, [x], 0, g);
      const fd = new Float32Array(x.size);
      for (let i = 0; i < x.size; i++) {
        const at = (h: number): number => tf.tidy(() => {
          const v = Float32Array.from(xv);
          v[i] = v[i]! + h;
          const y = f(tf.tensor2d(v, [3, 5])).dataSync();
          let s = 0;
          for (let j = 0; j < y.length; j++) s += y[j]! * gv[j]!;
          return s;
        });
        fd[i] = (at(0.5) - at(-0.5)) / 1;
      }
      expect(maxRelErr(got, fd)).toBeLessThan(1e-5);
    }
    tf.dispose([x, g]);
  });

  it('broadcast matMul gradients sum over the broadcast batch dims', () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [[[3, 5, 7], [7, 4], false, false], [[5, 7], [2, 3, 4, 7], false, true], [[2, 1, 7, 5], [3, 7, 4], true, false]];
    for (const [as, bs, ta, tb] of cases) {
      withInputs([as, bs], (ins) => {
        const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.matMul(a, b, ta, tb);
        checkLinear(f, ins, 0);
        checkLinear(f, ins, 1);
      });
    }
  });
});
