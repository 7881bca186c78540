import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { icosphere } from './icosphere.js';
import { meshEdgeLoss } from './mesh-edge-loss.js';
import { meshLaplacianSmoothing } from './mesh-laplacian-smoothing.js';
import { meshNormalConsistency } from './mesh-normal-consistency.js';
import { Meshes } from './meshes.js';

const TET_F = [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]];

/** Central finite differences of `f` at `x` (float64 in JS, f evaluated in float32). */
function numericGrad(f: (v: tf.Tensor) => tf.Tensor, x: number[], shape: number[], h = 1e-2): number[] {
  return x.map((_, i) => {
    const at = (d: number): number =>
      tf.tidy(() => {
        const y = [...x];
        y[i] = y[i]! + d;
        return f(tf.tensor(y, shape)).dataSync()[0]!;
      });
    return (at(h) - at(-h)) / (2 * h);
  });
}

function jitteredTet(seed: number): number[] {
  const g = new Generator(seed);
  const base = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
  return base.map((v) => v + 0.1 * g.normal());
}

describe('mesh losses', () => {
  it('meshEdgeLoss: mean over unique edges, batch mean, and its gradient', () => {
    const x = jitteredTet(1);
    const loss = (v: tf.Tensor, t = 0.5): tf.Tensor => {
      const m = new Meshes(v, TET_F);
      try {
        return meshEdgeLoss(m, { targetLength: t });
      } finally {
        m.dispose();
      }
    };
    // reference: the 6 edges of the tetrahedron
    const p = (i: number): number[] => x.slice(3 * i, 3 * i + 3);
    const pairs = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]];
    const want = pairs.reduce((s, [a, b]) => s + (Math.hypot(...p(a!).map((c, k) => c - p(b!)[k]!)) - 0.5) ** 2, 0) / 6;
    tf.tidy(() => expectClose(loss(tf.tensor2d(x, [4, 3])), [want], { atol: 1e-6 }));
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => loss(v))(tf.tensor2d(x, [4, 3])).dataSync());
    expectClose(Array.from(g), numericGrad((v) => loss(v), x, [4, 3]), { atol: 2e-3 });
    // a batch is the mean of its meshes
    const a = tf.tensor2d(x, [4, 3]);
    const b = tf.tensor2d([[0, 0, 0], [2, 0, 0], [0, 2, 0]]);
    const batch = new Meshes([a, b], [TET_F, [[0, 1, 2]]]);
    const one = new Meshes(b, [[0, 1, 2]]);
    tf.tidy(() => expectClose(meshEdgeLoss(batch), tf.div(tf.add(meshEdgeLoss(new Meshes(a, TET_F)), meshEdgeLoss(one)), 2), { atol: 1e-6 }));
    tf.dispose([a, b]);
    batch.dispose();
    one.dispose();
  });

  it('meshLaplacianSmoothing: uniform residual by hand, zero-ish on a sphere, gradients', () => {
    // a fan: vertex 0 in the middle of a square → uniform residual 0 at the centre
    const v = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [-1, 0, 0], [0, -1, 0]]);
    const fan = new Meshes(v, [[0, 1, 2], [0, 2, 3], [0, 3, 4], [0, 4, 1]]);
    // rim vertex 1: neighbours 0, 2, 4 → mean (0, 0, 0) → r = -(1, 0, 0), |r| = 1; all rims alike
    tf.tidy(() => expectClose(meshLaplacianSmoothing(fan), [4 / 5], { atol: 1e-6 }));
    tf.tidy(() => {
      const cot = meshLaplacianSmoothing(fan, { method: 'cot' });
      const cotcurv = meshLaplacianSmoothing(fan, { method: 'cotcurv' });
      expect(Number.isFinite(cot.dataSync()[0]!) && Number.isFinite(cotcurv.dataSync()[0]!)).toBe(true);
    });
    // finer spheres are smoother: the residual shrinks about 4× per level
    const [s2, s3] = [2, 3].map((l) => {
      const sphere = icosphere(l);
      const r = tf.tidy(() => meshLaplacianSmoothing(sphere).dataSync()[0]!);
      sphere.dispose();
      return r;
    });
    expect(s3!).toBeLessThan(s2! / 3);
    // gradient of the uniform loss (constant weights) vs finite differences
    const x = jitteredTet(2);
    const f = (t: tf.Tensor): tf.Tensor => {
      const m = new Meshes(t, TET_F);
      try {
        return meshLaplacianSmoothing(m);
      } finally {
        m.dispose();
      }
    };
    const g = tf.tidy(() => tf.grad(f)(tf.tensor2d(x, [4, 3])).dataSync());
    expectClose(Array.from(g), numericGrad(f, x, [4, 3], 1e-3), { atol: 2e-3 });
    tf.dispose(v);
    fan.dispose();
  });

  it('meshNormalConsistency: 0 for a plane, grows with the fold, finite differences', () => {
    const flat = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]);
    const folded = tf.tensor2d([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1]]);
    const F = [[0, 1, 2], [1, 3, 2]];
    const [m0, m1] = [new Meshes(flat, F), new Meshes(folded, F)];
    tf.tidy(() => expectClose(meshNormalConsistency(m0), [0], { atol: 1e-6 }));
    // normals (0, 0, 1) and (-1, -1, 1)/√3 → 1 - 1/√3
    tf.tidy(() => expectClose(meshNormalConsistency(m1), [1 - 1 / Math.sqrt(3)], { atol: 1e-6 }));
    const single = new Meshes(flat, [[0, 1, 2]]);
    tf.tidy(() => expectClose(meshNormalConsistency(single), [0]));
    const x = jitteredTet(3);
    const f = (t: tf.Tensor): tf.Tensor => {
      const m = new Meshes(t, TET_F);
      try {
        return meshNormalConsistency(m);
      } finally {
        m.dispose();
      }
    };
    const g = tf.tidy(() => tf.grad(f)(tf.tensor2d(x, [4, 3])).dataSync());
    expectClose(Array.from(g), numericGrad(f, x, [4, 3], 1e-3), { atol: 2e-3 });
    tf.dispose([flat, folded]);
    [m0, m1, single].forEach((m) => m.dispose());
  });

  it('reject a non-Meshes argument', () => {
    const v = randn([3, 3]);
    expect(() => meshEdgeLoss(v as unknown as Meshes)).toThrow(/meshEdgeLoss: meshes must be a Meshes, got object/);
    const ico = icosphere(0);
    expect(() => meshLaplacianSmoothing(ico, { method: 'cotan' as 'cot' })).toThrow(/options.method must be one of 'uniform', 'cot', 'cotcurv'/);
    v.dispose();
    ico.dispose();
  });
});
