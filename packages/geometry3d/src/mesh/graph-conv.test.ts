import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { GraphConv, graphConv } from './graph-conv.js';

/** out = x·w0 + b0 + Σ_{(i,j)} messages, written with plain loops. */
function reference(x: number[][], edges: number[][], w0: number[][], b0: number[], w1: number[][], b1: number[], directed: boolean): number[][] {
  const lin = (v: number[], w: number[][], b: number[]): number[] => b.map((bb, o) => bb + v.reduce((s, xi, i) => s + xi * w[i]![o]!, 0));
  const out = x.map((v) => lin(v, w0, b0));
  for (const [i, j] of edges) {
    const cj = lin(x[j!]!, w1, b1);
    out[i!] = out[i!]!.map((y, o) => y + cj[o]!);
    if (!directed) {
      const ci = lin(x[i!]!, w1, b1);
      out[j!] = out[j!]!.map((y, o) => y + ci[o]!);
    }
  }
  return out;
}

describe('graphConv', () => {
  it.each([false, true])('matches the gather-scatter definition (directed = %s), self loops and repeats included', (directed) => {
    const g = new Generator(11);
    const x = randn([5, 3], { generator: g });
    const w0 = randn([3, 4], { generator: g });
    const w1 = randn([3, 4], { generator: g });
    const b0 = randn([4], { generator: g });
    const b1 = randn([4], { generator: g });
    const edges = [[0, 1], [1, 2], [3, 3], [0, 1], [4, 2]];
    const e = tf.tensor2d(edges, undefined, 'int32');
    const out = graphConv(x, e, { w0, b0, w1, b1 }, { directed });
    const arr = (t: tf.Tensor): number[][] => t.arraySync() as number[][];
    expectClose(out, reference(arr(x), edges, arr(w0), Array.from(b0.dataSync()), arr(w1), Array.from(b1.dataSync()), directed).flat(), { atol: 1e-5 });
    tf.dispose([x, w0, w1, b0, b1, e, out]);
  });

  it('returns the self term for a graph without edges, and differentiates all inputs', () => {
    const x = tf.tensor2d([[1, 2]]);
    const w = tf.tensor2d([[1], [1]]);
    const e = tf.zeros([0, 2], 'int32');
    const out = graphConv(x, e, { w0: w, w1: w });
    expectClose(out, [3]);
    const edges = tf.tensor2d([[0, 1]], undefined, 'int32');
    const x2 = tf.tensor2d([[1, 0], [0, 1]]);
    const wa = tf.tensor2d([[1], [1]]);
    const wb = tf.tensor2d([[1], [1]]);
    const grads = tf.grads((a: tf.Tensor, w0: tf.Tensor, w1: tf.Tensor) => tf.sum(graphConv(a, edges, { w0, w1 })))([x2, wa, wb]);
    // Σ out = Σ_v x_v·w0 + (x_0 + x_1)·w1: d/dw0 = Σ x = [1, 1], d/dw1 = [1, 1], d/dx = w0 + w1 = [2, 2]
    expectClose(grads[0]!, [2, 2, 2, 2]);
    expectClose(grads[1]!, [1, 1]);
    expectClose(grads[2]!, [1, 1]);
    tf.dispose([x, w, e, out, edges, x2, wa, wb, ...grads]);
  });

  it('GraphConv loads PyTorch3D keys and initialises like PyTorch3D', () => {
    const gc = new GraphConv(3, 2, { generator: new Generator(0) });
    const sd = gc.stateDict();
    expect(Object.keys(sd)).toEqual(['w0.weight', 'w0.bias', 'w1.weight', 'w1.bias']);
    expect(sd['w0.weight']!.shape).toEqual([2, 3]);
    expectClose(sd['w0.bias']!, [0, 0]);
    const std = tf.tidy(() => tf.sqrt(tf.moments(sd['w1.weight']!).variance).dataSync()[0]!);
    expect(std).toBeLessThan(0.05);
    tf.dispose(Object.values(sd));
    tf.tidy(() => {
      expect(() => gc.forward(tf.zeros([2, 4]), tf.zeros([0, 2], 'int32'))).toThrow(/GraphConv.forward: verts must be shape \[V, 3\]/);
    });
    gc.dispose();
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      const w = tf.zeros([2, 3]);
      expect(() => graphConv(tf.zeros([4, 2]), tf.zeros([3, 2]), { w0: w, w1: w })).toThrow(/graphConv: edges must be dtype int32/);
      expect(() => graphConv(tf.zeros([4, 2]), tf.zeros([3, 3], 'int32'), { w0: w, w1: w })).toThrow(/graphConv: edges must be shape \[\*, 2\]/);
      expect(() => graphConv(tf.zeros([4, 2]), tf.zeros([3, 2], 'int32'), { w0: w, w1: tf.zeros([2, 4]) })).toThrow(/weights.w1 must be shape \[2, D_out\] with D_out = 3/);
    });
  });
});
