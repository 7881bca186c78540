/**
 * Fovea's wasm/cpu kernels against exact references built from forward ops
 * on the same backend: for an op linear in one input, the gradient of
 * sum(f(x) * g) is <f(e_i), g> for each basis tensor e_i. Max pooling is
 * checked against a brute-force JS reference. Runs in the wasm (core) and
 * cpu lanes; the webgpu lane has none of these kernels and skips it (its
 * empty-input guards and shape fixes are tested in empty.smoke.test.ts and
 * shape_fixes.smoke.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adjointGrad } from '@fovea/test-utils';
import { registerCpuKernels, registerWasmKernels } from './index.js';

const backend = tf.getBackend();
const active = backend === 'wasm' || backend === 'cpu';

let seed = 7;
const rnd = (shape: number[]): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed++);

function grad(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], k: number, g: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.grad((a: tf.Tensor) => {
    const args = inputs.slice();
    args[k] = a;
    return tf.sum(tf.mul(f(...args), g));
  })(inputs[k]!).dataSync() as Float32Array);
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let m = 0, s = 1;
  for (let i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  return m / s;
}

function checkLinear(f: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][], k: number): void {
  const inputs = shapes.map(rnd);
  const g = tf.tidy(() => rnd(f(...inputs).shape));
  const d0 = tf.engine().backend.numDataIds();
  const got = grad(f, inputs, k, g);
  const ref = adjointGrad(f, inputs, k, g);
  expect(maxRelErr(got, ref)).toBeLessThan(2e-5);
  tf.dispose([...inputs, g]);
  expect(tf.engine().backend.numDataIds()).toBe(d0 - shapes.length - 1);
}

describe.skipIf(!active)(`Fovea kernels on ${backend}`, () => {
  it('registers idempotently', () => {
    const register = backend === 'wasm' ? registerWasmKernels : registerCpuKernels;
    const before = tf.getKernel('Conv2DBackpropFilter', backend)?.kernelFunc;
    register();
    register();
    expect(tf.getKernel('Conv2DBackpropFilter', backend)?.kernelFunc).toBe(before);
  });

  const convs: Array<[number[], number[], number | [number, number], 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]]]> = [
    [[2, 7, 6, 3], [3, 3, 3, 4], 1, 'valid'],
    [[2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 8, 7, 2], [3, 2, 2, 5], 2, 'same'],
    [[2, 8, 7, 3], [3, 2, 3, 4], [2, 1], [[0, 0], [1, 2], [2, 0], [0, 0]]],
    [[2, 6, 6, 2], [3, 3, 2, 3], 1, 2],
    [[2, 10, 10, 1], [3, 3, 1, 8], 1, 'valid'],
  ];
  for (const [xs, ws, st, pad] of convs) {
    const f = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, st, pad);
    it(`conv2d dx/dW ${xs} ${ws} s${st} ${JSON.stringify(pad)}`, () => {
      checkLinear(f, [xs, ws], 0);
      checkLinear(f, [xs, ws], 1);
    });
  }

  it('conv3d dx/dW (same, valid stride 2)', () => {
    const f1 = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'same');
    checkLinear(f1, [[1, 4, 3, 4, 2], [2, 3, 2, 2, 3]], 0);
    checkLinear(f1, [[1, 4, 3, 4, 2], [2, 3, 2, 2, 3]], 1);
    const f2 = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, 'valid');
    checkLinear(f2, [[1, 5, 4, 5, 2], [2, 2, 3, 2, 2]], 0);
    checkLinear(f2, [[1, 5, 4, 5, 2], [2, 2, 3, 2, 2]], 1);
  });

  it('depthwiseConv2d dx/dW (multiplier 2, stride 2)', () => {
    const f = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same');
    checkLinear(f, [[2, 7, 6, 3], [3, 3, 3, 2]], 0);
    checkLinear(f, [[2, 7, 6, 3], [3, 3, 3, 2]], 1);
  });

  it('avgPool / avgPool3d dx, including same padding', () => {
    checkLinear((x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'), [[2, 7, 6, 3]], 0);
    checkLinear((x) => tf.avgPool(x as tf.Tensor4D, 2, 1, 'valid'), [[2, 5, 6, 2]], 0);
    checkLinear((x) => tf.avgPool3d(x as tf.Tensor5D, 3, 2, 'same'), [[1, 4, 5, 4, 2]], 0);
  });

  it('resizeBilinear / resizeNearestNeighbor dx (non-square, alignCorners, halfPixelCenters)', () => {
    for (const [ac, hpc] of [[false, false], [true, false], [false, true]] as const) {
      checkLinear((x) => tf.image.resizeBilinear(x as tf.Tensor4D, [7, 9], ac, hpc), [[2, 4, 5, 3]], 0);
      checkLinear((x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [7, 9], ac, hpc), [[2, 4, 5, 3]], 0);
    }
  });

  it('matMul (transposes, batched, one side unbatched) dA/dB', () => {
    for (const [as, bs, ta, tb] of [[[5, 7], [3, 7], false, true], [[7, 5], [7, 3], true, false], [[3, 20, 24], [3, 18, 20], true, true], [[2, 3, 20, 18], [2, 3, 18, 17], false, false]] as const) {
      const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.matMul(a, b, ta, tb);
      checkLinear(f, [as.slice(), bs.slice()], 0);
      checkLinear(f, [as.slice(), bs.slice()], 1);
    }
  });

  it('fused matMul with bias on transposed / batched operands matches the unfused ops', () => {
    tf.tidy(() => {
      for (const [as, bs, ta, tb] of [[[5, 7], [3, 7], false, true], [[2, 7, 5], [2, 3, 7], true, true]] as const) {
        const a = rnd(as.slice()), b = rnd(bs.slice()), c = rnd([3]);
        const fused = tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: c, activation: 'relu' }).dataSync() as Float32Array;
        const plain = tf.relu(tf.add(tf.matMul(a, b, ta, tb), c)).dataSync() as Float32Array;
        expect(maxRelErr(fused, plain)).toBeLessThan(1e-6);
      }
    });
  });

  it('gather dx (UnsortedSegmentSum)', () => {
    checkLinear((x) => tf.gather(x, tf.tensor1d([0, 3, 3, 1, 4, 0], 'int32')), [[5, 4]], 0);
  });

  it('maxPool dx: first maximum of each window (overlapping, non-tiling, same)', () => {
    for (const [shape, fs, st, pad] of [[[2, 5, 7, 3], 2, 2, 'valid'], [[2, 6, 7, 3], 3, 2, 'same'], [[1, 6, 6, 2], 2, 1, 'valid'], [[2, 6, 8, 2], 2, 2, 'valid']] as const) {
      tf.tidy(() => {
        // integer values: many ties, which must go to the first maximum only
        const x = tf.round(tf.mul(rnd(shape.slice()), 3));
        const y = tf.maxPool(x as tf.Tensor4D, fs, st, pad);
        const g = rnd(y.shape);
        const got = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, fs, st, pad), g)))(x).dataSync();
        const info = tf.backend_util.computePool2DInfo(shape.slice() as [number, number, number, number], fs, st, 1, pad);
        const xv = x.dataSync(), gv = g.dataSync(), ref = new Float32Array(x.size);
        const [n, h, w, c] = shape;
        let o = 0;
        for (let b = 0; b < n; b++) for (let oy = 0; oy < info.outHeight; oy++) for (let ox = 0; ox < info.outWidth; ox++) for (let ch = 0; ch < c; ch++, o++) {
          let best = -Infinity, at = -1;
          for (let i = 0; i < info.filterHeight; i++) for (let j = 0; j < info.filterWidth; j++) {
            const yy = oy * info.strideHeight - info.padInfo.top + i, xx = ox * info.strideWidth - info.padInfo.left + j;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            const idx = ((b * h + yy) * w + xx) * c + ch;
            if (xv[idx]! > best) { best = xv[idx]!; at = idx; }
          }
          ref[at] += gv[o]!;
        }
        expect(maxRelErr(got as Float32Array, ref)).toBeLessThan(1e-6);
      });
    }
  });

  it('reductions over merged axes, identity and same-dtype cast keep values', () => {
    tf.tidy(() => {
      const x = rnd([3, 4, 5, 6]);
      const xv = x.dataSync();
      const s = tf.sum(x, [0, 1, 2]).dataSync();
      const ref = new Float64Array(6);
      for (let i = 0; i < xv.length; i++) ref[i % 6] += xv[i]!;
      expect(maxRelErr(s as Float32Array, Float32Array.from(ref))).toBeLessThan(1e-6);
      expect(tf.max(x, [1, 2], true).shape).toEqual([3, 1, 1, 6]);
      // leading axes of a matrix (a linear layer's bias gradient), with and without keepDims; a middle axis
      const m = rnd([37, 5]);
      const mv = m.dataSync();
      const cols = new Float64Array(5);
      for (let i = 0; i < mv.length; i++) cols[i % 5] += mv[i]!;
      expect(maxRelErr(tf.sum(m, 0).dataSync() as Float32Array, Float32Array.from(cols))).toBeLessThan(1e-6);
      const kept = tf.sum(m, [0], true);
      expect(kept.shape).toEqual([1, 5]);
      expect(maxRelErr(kept.dataSync() as Float32Array, Float32Array.from(cols))).toBeLessThan(1e-6);
      const mid = tf.sum(x, 1, true);
      expect(mid.shape).toEqual([3, 1, 5, 6]);
      const midRef = new Float64Array(3 * 5 * 6);
      for (let i = 0; i < xv.length; i++) midRef[Math.floor(i / 120) * 30 + (i % 30)] += xv[i]!;
      expect(maxRelErr(mid.dataSync() as Float32Array, Float32Array.from(midRef))).toBeLessThan(1e-6);
      expect(tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0).arraySync()).toEqual([4, 6]);
      expect(Array.from(tf.clone(x).dataSync())).toEqual(Array.from(xv));
      expect(Array.from(tf.cast(x, 'float32').dataSync())).toEqual(Array.from(xv));
    });
  });
});
