import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, randn, type Generator, type Parameter } from '@fovea/core';
import { dropout } from '@fovea/layers';
import { checkRate, checkSize, genOpt } from '../_internal/args.js';

/** Options of the {@link LearnedPositionalEncoding} module. @category Positional encodings */
export interface LearnedPositionalEncodingOptions {
  /** Standard deviation of the initial (normal) embeddings; default 0.02 (BERT, ViT). */
  initStd?: number;
  /** Dropout after the addition in training mode; default 0. */
  dropout?: number;
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * A learned absolute position embedding (BERT, GPT-2, ViT): a parameter
 * `weight` `[maxLength, E]` (an `nn.Embedding` over positions) whose first
 * `T` rows are added to a `[B, T, E]` sequence, then dropout.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LearnedPositionalEncoding } from '@fovea/attention';
 * const pos = new LearnedPositionalEncoding(128, 64); // up to 128 positions of width 64
 * pos.forward(tf.zeros([2, 10, 64])).shape; // [2, 10, 64]
 * pos.stateDict()['weight'].shape;          // [128, 64]
 * ```
 * @category Positional encodings
 */
export class LearnedPositionalEncoding extends Module<[tf.Tensor, number?], tf.Tensor> {
  /** The number of positions. */
  readonly maxLength: number;
  /** `E`, the embedding width. */
  readonly dim: number;
  /** Dropout probability after the addition (training mode). */
  readonly dropout: number;
  /** `[maxLength, E]` one embedding per position. */
  readonly weight: Parameter;
  private readonly generator: Generator | undefined;

  /**
   * @param maxLength the number of positions.
   * @param dim `E`.
   * @param opts initStd, dropout, generator.
   */
  constructor(maxLength: number, dim: number, opts: LearnedPositionalEncodingOptions = {}) {
    super();
    const op = 'LearnedPositionalEncoding';
    this.maxLength = checkSize(op, 'maxLength', maxLength);
    this.dim = checkSize(op, 'dim', dim);
    const std = checkNumber(op, 'options.initStd', opts.initStd ?? 0.02, { min: 0 });
    this.dropout = checkRate(op, 'options.dropout', opts.dropout ?? 0);
    this.generator = opts.generator;
    this.weight = this.registerParameter('weight', randn([maxLength, dim], { std, ...genOpt(opts.generator) }));
  }

  /** `x [B, T, E]` → `x + weight[offset : offset + T]` `[B, T, E]` (then dropout in training). */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    const op = 'LearnedPositionalEncoding.forward';
    checkTensor(op, 'x', x, { rank: [2, 3], dtype: 'float32' });
    checkNumber(op, 'offset', offset, { integer: true, min: 0 });
    const [t, e] = x.shape.slice(-2) as [number, number];
    if (e !== this.dim || offset + t > this.maxLength) {
      throw new FoveaError({ op, arg: 'x', expected: `[B, T, ${this.dim}] with offset + T <= maxLength ${this.maxLength}`, got: `shape ${formatShape(x.shape)}, offset ${offset}` });
    }
    return tf.tidy(() => {
      const y = tf.add(x, tf.slice(this.weight, [offset, 0], [t, e])); // [B, T, E]
      return this.training && this.dropout > 0 ? dropout(y, { p: this.dropout, ...genOpt(this.generator) }) : y;
    });
  }
}
