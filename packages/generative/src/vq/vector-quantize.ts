import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, uniform, type Generator, type Parameter } from '@fovea/core';
import { checkSize, connectedZeros, genOpt } from '../_internal/args.js';
import { detach } from '../_internal/detach.js';
import { oneHot } from '../_internal/one-hot.js';

/** Options for {@link vectorQuantize}. @category VQ-VAE */
export interface VectorQuantizeOptions {
  /** Weight `β` of the commitment loss; default 0.25 (the VQ-VAE paper's). */
  beta?: number;
}

/** What {@link vectorQuantize} returns (the caller disposes every tensor). @category VQ-VAE */
export interface VectorQuantizeResult {
  /** float32 `[..., D]` the straight-through output `z + sg[e − z]`: value `codebook[indices]`, gradient identity to `z`, none to the codebook. */
  zq: tf.Tensor;
  /** int32 `[...]` the nearest codeword of each vector (ties: lowest index). */
  indices: tf.Tensor;
  /** `[]` `mean((sg[z] − e)²)`: moves the codewords towards the encoder outputs. */
  codebookLoss: tf.Tensor;
  /** `[]` `β·mean((z − sg[e])²)`: keeps the encoder outputs near their codewords. */
  commitmentLoss: tf.Tensor;
}

/**
 * Vector quantization of the VQ-VAE (van den Oord et al., 2017): each vector
 * `z_n` is replaced by its nearest codeword `e_k`, `k = argmin_k ‖z_n − e_k‖²`
 * (ties go to the lowest index); the output is straight-through (`z + sg[e − z]`,
 * so the decoder's gradient is copied to the encoder); the codebook learns
 * from `codebookLoss = mean((sg[z] − e)²)` and the encoder is held near its
 * codes by `commitmentLoss = β·mean((z − sg[e])²)` (means over all `M·D` entries).
 *
 * @param z float32 `[..., D]` encoder outputs (`[N, D]`, or `[N, H, W, D]` feature maps).
 * @param codebook float32 `[K, D]` codewords.
 * @param opts beta (default 0.25).
 * @returns `zq` `[..., D]`, `indices` int32 `[...]`, `codebookLoss`, `commitmentLoss` `[]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vectorQuantize } from '@fovea/generative';
 * const codebook = tf.tensor2d([[0, 0], [1, 1]]);
 * const { zq, indices } = vectorQuantize(tf.tensor2d([[0.9, 0.8], [0.1, -0.2]]), codebook);
 * indices.print(); // [1, 0]
 * zq.print();      // [[1, 1], [0, 0]]
 * ```
 * @category VQ-VAE
 */
export function vectorQuantize(z: tf.Tensor, codebook: tf.Tensor, opts: VectorQuantizeOptions = {}): VectorQuantizeResult {
  const op = 'vectorQuantize';
  checkTensor(op, 'z', z, { dtype: 'float32', minRank: 1 });
  checkTensor(op, 'codebook', codebook, { dtype: 'float32', rank: 2 });
  const d = z.shape[z.rank - 1]!;
  const [k, dc] = codebook.shape as [number, number];
  if (dc !== d || k < 1) {
    throw new FoveaError({ op, arg: 'codebook', expected: `[K, ${d}] with K >= 1 (D = ${d}, the last dim of z)`, got: `shape ${formatShape(codebook.shape)}` });
  }
  const beta = checkNumber(op, 'options.beta', opts.beta ?? 0.25, { min: 0 });
  const lead = z.shape.slice(0, -1);
  if (z.size === 0) return emptyResult(z, codebook, lead);
  return tf.tidy(() => {
    const flat = tf.reshape(z, [-1, d]); // [M, D]
    const onehot = nearestCodes(flat, codebook); // [M, K]
    const idx = tf.argMax(onehot, 1); // [M] int32
    const e = tf.matMul(onehot, codebook); // [M, D] = codebook[idx], differentiable w.r.t. the codebook
    const codebookLoss = tf.mean(tf.square(tf.sub(detach(flat), e)));
    const commitmentLoss = tf.mul(tf.mean(tf.square(tf.sub(flat, detach(e)))), beta);
    const zq = tf.add(flat, detach(tf.sub(e, flat))); // [M, D] straight-through
    return { zq: tf.reshape(zq, z.shape), indices: tf.reshape(idx, lead), codebookLoss, commitmentLoss };
  });
}

/**
 * `argmin_k ‖z − e_k‖²` via `‖z‖² − 2 z·eᵀ + ‖e‖²` (`[M, K]`), as float32 one-hot
 * rows `[M, K]`; a custom-gradient op with zero gradients, so autograd never
 * differentiates the argmin.
 */
const nearestCodes = (z: tf.Tensor, e: tf.Tensor): tf.Tensor =>
  nearestCodesOp(z, e) as tf.Tensor;
const nearestCodesOp = tf.customGrad(((z: tf.Tensor, e: tf.Tensor) => {
  const zz = tf.sum(tf.square(z), 1, true); // [M, 1]
  const ee = tf.reshape(tf.sum(tf.square(e), 1), [1, -1]); // [1, K]
  const dist = tf.add(tf.sub(zz, tf.mul(tf.matMul(z, e, false, true), 2)), ee); // [M, K]
  return { value: oneHot(tf.argMin(dist, 1), e.shape[0]!), gradFunc: () => [tf.zerosLike(z), tf.zerosLike(e)] };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

function emptyResult(z: tf.Tensor, codebook: tf.Tensor, lead: number[]): VectorQuantizeResult {
  return tf.tidy(() => ({
    zq: connectedZeros(z.shape, [z, codebook]),
    indices: tf.zeros(lead, 'int32'),
    codebookLoss: tf.add(connectedZeros([], [z, codebook]), NaN),
    commitmentLoss: tf.add(connectedZeros([], [z, codebook]), NaN),
  }));
}

/** Holds the codebook under PyTorch's `nn.Embedding` name (`embedding.weight`). */
class Codebook extends Module<[], tf.Tensor> {
  readonly weight: Parameter;
  constructor(k: number, d: number, generator: Generator | undefined) {
    super();
    this.weight = this.registerParameter('weight', uniform([k, d], -1 / k, 1 / k, genOpt(generator)));
  }
  forward(): tf.Tensor {
    return this.weight;
  }
}

/** Options for the {@link VectorQuantizer} module. @category VQ-VAE */
export interface VectorQuantizerOptions extends VectorQuantizeOptions {
  /** Random source for the initial codebook (default: core's default generator). */
  generator?: Generator;
}

/**
 * A VQ-VAE codebook layer: parameter `embedding.weight` `[K, D]` (the name of
 * PyTorch's `nn.Embedding` codebook), initialised `U(−1/K, 1/K)`. `forward(z)`
 * runs {@link vectorQuantize}; {@link VectorQuantizer.lookup} decodes indices.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VectorQuantizer } from '@fovea/generative';
 * const vq = new VectorQuantizer(64, 16);
 * const { zq, indices } = vq.forward(tf.randomNormal([2, 7, 7, 16]));
 * zq.shape;      // [2, 7, 7, 16]
 * indices.shape; // [2, 7, 7]
 * ```
 * @category VQ-VAE
 */
export class VectorQuantizer extends Module<[tf.Tensor], VectorQuantizeResult> {
  /** Number of codewords `K`. */
  readonly numEmbeddings: number;
  /** Codeword size `D`. */
  readonly embeddingDim: number;
  /** Commitment weight β. */
  readonly beta: number;
  private readonly codebook: Codebook;

  /**
   * @param numEmbeddings `K`.
   * @param embeddingDim `D`.
   * @param opts beta (default 0.25), generator.
   */
  constructor(numEmbeddings: number, embeddingDim: number, opts: VectorQuantizerOptions = {}) {
    super();
    const op = 'VectorQuantizer';
    this.numEmbeddings = checkSize(op, 'numEmbeddings', numEmbeddings);
    this.embeddingDim = checkSize(op, 'embeddingDim', embeddingDim);
    this.beta = checkNumber(op, 'options.beta', opts.beta ?? 0.25, { min: 0 });
    this.codebook = this.registerModule('embedding', new Codebook(numEmbeddings, embeddingDim, opts.generator));
  }

  /** The codebook parameter `[K, D]`. */
  get weight(): Parameter {
    return this.codebook.weight;
  }

  /** `z [..., D]` → quantized `z` and its codes; see {@link vectorQuantize}. */
  forward(z: tf.Tensor): VectorQuantizeResult {
    return vectorQuantize(z, this.codebook.weight, { beta: this.beta });
  }

  /** int32 codes `[...]` → their codewords `[..., D]`. */
  lookup(indices: tf.Tensor): tf.Tensor {
    checkTensor('VectorQuantizer.lookup', 'indices', indices, { dtype: 'int32' });
    return tf.tidy(() => {
      const flat = tf.reshape(oneHot(indices, this.numEmbeddings), [-1, this.numEmbeddings]); // [M, K]
      return tf.reshape(tf.matMul(flat, this.codebook.weight), [...indices.shape, this.embeddingDim]); // [..., D]
    });
  }
}
