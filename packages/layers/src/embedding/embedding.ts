import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, randn, type Generator, type Parameter } from '@fovea/core';

/** Options of {@link embedding}. @category Embedding */
export interface EmbeddingOptions {
  /** An index whose row gets no gradient (PyTorch's `padding_idx`; negative counts from the end). Default none. */
  paddingIdx?: number | null;
}

function resolvePadding(op: string, paddingIdx: number | null | undefined, num: number): number | null {
  if (paddingIdx === undefined || paddingIdx === null) return null;
  const p = checkNumber(op, 'options.paddingIdx', paddingIdx, { integer: true, min: -num, max: num - 1 });
  return p < 0 ? p + num : p;
}

/**
 * Looks up rows of an embedding table, PyTorch's `F.embedding`: `out[..., :] =
 * weight[ids[...], :]`. The gradient of `weight` adds up the upstream
 * gradient of every position that used a row (`unsortedSegmentSum`); the
 * row `paddingIdx`, if given, gets none. Index values are not range-checked
 * (that would need a read back): keep them in `[0, num)`.
 *
 * @param ids int32 indices of any shape `[...]`.
 * @param weight `[num, E]` the table (same layout as PyTorch's `Embedding.weight`).
 * @param opts `paddingIdx`.
 * @returns `[..., E]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { embedding } from '@fovea/layers';
 * const w = tf.tensor2d([[0, 0], [1, 2], [3, 4]]);
 * embedding(tf.tensor2d([[2, 1]], [1, 2], 'int32'), w).arraySync(); // [[[3, 4], [1, 2]]]
 * ```
 * @category Embedding
 */
export function embedding(ids: tf.Tensor, weight: tf.Tensor, opts: EmbeddingOptions = {}): tf.Tensor {
  const op = 'embedding';
  checkTensor(op, 'ids', ids, { dtype: 'int32' });
  checkTensor(op, 'weight', weight, { rank: 2, dtype: 'float32' });
  const [num, E] = weight.shape as [number, number];
  const pad = resolvePadding(op, opts.paddingIdx, num);
  if (num === 0 && ids.size > 0) throw new FoveaError({ op, arg: 'weight', expected: 'a table with at least one row', got: 'shape [0, ' + E + ']' });
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w, idx, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([idx]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => tf.tidy(() => {
      const flat = saved[0]!;
      const d = pad === null ? dy : tf.mul(dy, tf.expandDims(tf.cast(tf.notEqual(flat, pad), 'float32'), 1));
      return [tf.unsortedSegmentSum(d, flat as tf.Tensor1D, num), tf.zerosLike(flat)]; // [num, E]; no gradient for the indices
    });
    return { value: tf.gather(w, idx), gradFunc }; // [N, E]
  });
  return tf.tidy(() => tf.reshape(lookup(weight, tf.reshape(ids, [-1])), [...ids.shape, E]));
}

/** Options of the {@link Embedding} module. @category Embedding */
export interface EmbeddingModuleOptions extends EmbeddingOptions {
  /** Random source of the `N(0, 1)` initial table (default: core's default generator). */
  generator?: Generator;
}

/**
 * PyTorch's `nn.Embedding(numEmbeddings, embeddingDim, padding_idx)`: a
 * learned table `weight` `[num, E]`, initialised `N(0, 1)` with the padding
 * row zeroed. See {@link embedding}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Embedding } from '@fovea/layers';
 * const emb = new Embedding(100, 16, { paddingIdx: 0 });
 * emb.forward(tf.tensor2d([[5, 0, 7]], [1, 3], 'int32')).shape; // [1, 3, 16]
 * ```
 * @category Embedding
 */
export class Embedding extends Module<[tf.Tensor], tf.Tensor> {
  /** `[num, E]` the table. */
  readonly weight: Parameter;
  /** Rows in the table. */
  readonly numEmbeddings: number;
  /** Features per row (E). */
  readonly embeddingDim: number;
  /** The padding row (no gradient), or null. */
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingModuleOptions = {}) {
    super();
    this.numEmbeddings = checkNumber('Embedding', 'numEmbeddings', numEmbeddings, { integer: true, min: 1 });
    this.embeddingDim = checkNumber('Embedding', 'embeddingDim', embeddingDim, { integer: true, min: 1 });
    this.paddingIdx = resolvePadding('Embedding', opts.paddingIdx, numEmbeddings);
    const pad = this.paddingIdx;
    const init = tf.tidy(() => {
      const w = randn([numEmbeddings, embeddingDim], opts.generator ? { generator: opts.generator } : {});
      if (pad === null) return w;
      const keep = tf.expandDims(tf.cast(tf.notEqual(tf.range(0, numEmbeddings, 1, 'int32'), pad), 'float32'), 1);
      return tf.mul(w, keep);
    });
    this.weight = this.registerParameter('weight', init);
  }

  /** @param ids int32 `[...]`; @returns `[..., E]`. */
  forward(ids: tf.Tensor): tf.Tensor {
    return embedding(ids, this.weight, { paddingIdx: this.paddingIdx });
  }
}
