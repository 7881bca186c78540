import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, randn, type Generator } from '@fovea/core';
import { Linear, linear } from '@fovea/layers';
import { gatherRows, noGrad, scatterAddRows } from '../_internal/autograd.js';

/** Weights of {@link graphConv}, in Fovea's linear layout. @category Meshes */
export interface GraphConvWeights {
  /** `[D_in, D_out]` self weight (PyTorch's `w0.weight` `[D_out, D_in]` through `linearWeightLayout`). */
  w0: tf.Tensor;
  /** `[D_out]` self bias, or null. */
  b0?: tf.Tensor | null;
  /** `[D_in, D_out]` neighbour weight (`w1.weight`). */
  w1: tf.Tensor;
  /** `[D_out]` neighbour bias, or null (added once per received message). */
  b1?: tf.Tensor | null;
}

/** Options for {@link graphConv}. @category Meshes */
export interface GraphConvOptions {
  /** Messages only flow from `edges[:, 1]` to `edges[:, 0]`; default false (both ways). */
  directed?: boolean;
}

/**
 * Graph convolution on mesh vertices (PyTorch3D's `GraphConv` with
 * `gather_scatter`): `out = verts·w0 + b0 + s` where, for every edge `(i, j)`,
 * `s[i] += verts[j]·w1 + b1` and, unless directed, `s[j] += verts[i]·w1 + b1`.
 * Repeated edges count repeatedly; a self loop `(k, k)` adds its message once
 * (directed) or twice (undirected). Differentiable in `verts` and the weights.
 *
 * @param verts `[V, D_in]` vertex features.
 * @param edges int32 `[E, 2]` vertex index pairs (e.g. `meshes.edgesPacked()`).
 * @param weights w0, b0, w1, b1.
 * @param opts directed.
 * @returns `[V, D_out]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { graphConv } from '@fovea/geometry3d';
 * const verts = tf.tensor2d([[1], [2], [3]]);
 * const edges = tf.tensor2d([[0, 1], [1, 2]], undefined, 'int32');
 * const out = graphConv(verts, edges, { w0: tf.zeros([1, 1]), w1: tf.ones([1, 1]) });
 * await out.data(); // [2, 4, 2]: sums of the neighbours
 * ```
 * @category Meshes
 */
export function graphConv(verts: tf.Tensor, edges: tf.Tensor, weights: GraphConvWeights, opts: GraphConvOptions = {}): tf.Tensor {
  const op = 'graphConv';
  checkTensor(op, 'verts', verts, { shape: ['V', 'D_in'], dtype: 'float32' });
  checkTensor(op, 'edges', edges, { shape: [null, 2], dtype: 'int32' });
  if (typeof weights !== 'object' || weights === null) throw new FoveaError({ op, arg: 'weights', expected: 'an object {w0, b0, w1, b1}', got: String(weights) });
  const [V, din] = verts.shape as [number, number];
  const dims: Record<string, number> = {};
  checkTensor(op, 'weights.w0', weights.w0, { shape: [din, 'D_out'], dtype: 'float32' }, dims);
  checkTensor(op, 'weights.w1', weights.w1, { shape: [din, 'D_out'], dtype: 'float32' }, dims);
  if (weights.b0) checkTensor(op, 'weights.b0', weights.b0, { shape: ['D_out'], dtype: 'float32' }, dims);
  if (weights.b1) checkTensor(op, 'weights.b1', weights.b1, { shape: ['D_out'], dtype: 'float32' }, dims);
  const directed = opts.directed ?? false;
  if (typeof directed !== 'boolean') throw new FoveaError({ op, arg: 'options.directed', expected: 'true or false', got: String(directed) });
  return tf.tidy(() => {
    const a = linear(verts, weights.w0, weights.b0 ?? null); // [V, D_out]
    const E = edges.shape[0]!;
    if (E === 0 || V === 0) return a;
    const c = linear(verts, weights.w1, weights.b1 ?? null); // [V, D_out]
    const [to, from] = noGrad(() => [tf.reshape(tf.slice(edges, [0, 0], [E, 1]), [E]), tf.reshape(tf.slice(edges, [0, 1], [E, 1]), [E])]);
    let s = scatterAddRows(gatherRows(c, from), to, V); // [V, D_out]
    if (!directed) s = tf.add(s, scatterAddRows(gatherRows(c, to), from, V));
    return tf.add(a, s);
  });
}

/** Options for the {@link GraphConv} module. @category Meshes */
export interface GraphConvModuleOptions {
  /** Messages only flow from `edges[:, 1]` to `edges[:, 0]`; default false. */
  directed?: boolean;
  /** `'normal'` (default: PyTorch3D's `N(0, 0.01)` weights, zero biases) or `'zero'` (all zero). */
  init?: 'normal' | 'zero';
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A graph convolution layer (PyTorch3D's `GraphConv`): child `Linear`s `w0`
 * (self) and `w1` (neighbours), so `loadStateDict` takes PyTorch3D's
 * `w0.weight`, `w0.bias`, `w1.weight`, `w1.bias`. See {@link graphConv}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GraphConv, icosphere } from '@fovea/geometry3d';
 * const sphere = icosphere(1);
 * const gc = new GraphConv(3, 16);
 * const edges = sphere.edgesPacked();
 * gc.forward(sphere.vertsPacked(), edges).shape; // [42, 16]
 * ```
 * @category Meshes
 */
export class GraphConv extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  readonly w0: Linear;
  readonly w1: Linear;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly directed: boolean;

  /**
   * @param inputDim `D_in`.
   * @param outputDim `D_out`.
   * @param opts directed, init, generator.
   */
  constructor(inputDim: number, outputDim: number, opts: GraphConvModuleOptions = {}) {
    super();
    this.inputDim = checkNumber('GraphConv', 'inputDim', inputDim, { integer: true, min: 1 });
    this.outputDim = checkNumber('GraphConv', 'outputDim', outputDim, { integer: true, min: 1 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.w0 = this.registerModule('w0', new Linear(inputDim, outputDim, gen));
    this.w1 = this.registerModule('w1', new Linear(inputDim, outputDim, gen));
    this.directed = opts.directed ?? false;
    const init = opts.init ?? 'normal';
    if (init !== 'normal' && init !== 'zero') throw new FoveaError({ op: 'GraphConv', arg: 'options.init', expected: "'normal' or 'zero'", got: String(init) });
    const g = opts.generator;
    for (const lin of [this.w0, this.w1]) {
      tf.tidy(() => {
        if (init === 'zero') lin.weight.assign(tf.zerosLike(lin.weight));
        else lin.weight.assign(randn(lin.weight.shape, g ? { std: 0.01, generator: g } : { std: 0.01 }));
        lin.bias?.assign(tf.zerosLike(lin.bias));
      });
    }
  }

  /** `verts [V, D_in]`, `edges` int32 `[E, 2]` → `[V, D_out]`. */
  forward(verts: tf.Tensor, edges: tf.Tensor): tf.Tensor {
    if (verts instanceof tf.Tensor && verts.rank === 2 && verts.shape[1] !== this.inputDim) {
      throw new FoveaError({ op: 'GraphConv.forward', arg: 'verts', expected: `shape [V, ${this.inputDim}]`, got: `shape ${formatShape(verts.shape)}` });
    }
    return graphConv(verts, edges, { w0: this.w0.weight, b0: this.w0.bias, w1: this.w1.weight, b1: this.w1.bias }, { directed: this.directed });
  }
}
