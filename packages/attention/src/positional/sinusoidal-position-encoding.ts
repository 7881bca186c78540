import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, type Generator } from '@fovea/core';
import { dropout } from '@fovea/layers';
import { checkRate, checkSize, genOpt } from '../_internal/args.js';

/** Options for {@link sinusoidalPositionEncoding}. @category Positional encodings */
export interface SinusoidalOptions {
  /** The wavelength base; default 10000 (Vaswani et al.). */
  base?: number;
  /** The first position; default 0. */
  offset?: number;
}

/**
 * The fixed sinusoidal position encoding of Vaswani et al. (2017):
 * `pe[p, 2i] = sin(p / base^(2i/dim))`, `pe[p, 2i+1] = cos(p / base^(2i/dim))`,
 * positions from `offset`. Computed in float64 on the CPU, then stored as float32.
 *
 * @param length `T`, the number of positions.
 * @param dim `E`, the (even) width.
 * @param opts base, offset.
 * @returns `[T, E]`.
 * @example
 * ```ts
 * import { sinusoidalPositionEncoding } from '@fovea/attention';
 * const pe = sinusoidalPositionEncoding(50, 64); // [50, 64]
 * pe.arraySync()[0].slice(0, 4); // [0, 1, 0, 1]: position 0 is sin 0, cos 0
 * ```
 * @category Positional encodings
 */
export function sinusoidalPositionEncoding(length: number, dim: number, opts: SinusoidalOptions = {}): tf.Tensor2D {
  const op = 'sinusoidalPositionEncoding';
  const t = checkSize(op, 'length', length, 0);
  const e = checkSize(op, 'dim', dim, 0);
  if (e % 2 !== 0) throw new FoveaError({ op, arg: 'dim', expected: 'an even width (sine and cosine pairs)', got: String(dim) });
  const base = checkNumber(op, 'options.base', opts.base ?? 10000, { gt: 0 });
  const offset = checkNumber(op, 'options.offset', opts.offset ?? 0, { integer: true, min: 0 });
  const data = new Float32Array(t * e);
  for (let i = 0; i < e; i += 2) {
    const freq = Math.pow(base, -i / e);
    for (let p = 0; p < t; p++) {
      const a = (p + offset) * freq;
      data[p * e + i] = Math.sin(a);
      data[p * e + i + 1] = Math.cos(a);
    }
  }
  return tf.tensor2d(data, [t, e]);
}

/** Options of the {@link SinusoidalPositionalEncoding} module. @category Positional encodings */
export interface SinusoidalPositionalEncodingOptions {
  /** The longest sequence; default 5000. */
  maxLength?: number;
  /** Dropout after the addition in training mode; default 0. */
  dropout?: number;
  /** The wavelength base; default 10000. */
  base?: number;
  /** Random source for dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * Adds the fixed sinusoidal encoding to a sequence of embeddings, then
 * dropout (the PyTorch tutorial's `PositionalEncoding`, batch first). The
 * table `pe` `[maxLength, E]` is a non-persistent buffer: it is not part of
 * `stateDict()`. See {@link sinusoidalPositionEncoding}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SinusoidalPositionalEncoding } from '@fovea/attention';
 * const pos = new SinusoidalPositionalEncoding(64, { maxLength: 512 });
 * pos.forward(tf.zeros([2, 10, 64])).shape; // [2, 10, 64]
 * ```
 * @category Positional encodings
 */
export class SinusoidalPositionalEncoding extends Module<[tf.Tensor], tf.Tensor> {
  /** `E`, the encoding width. */
  readonly dim: number;
  /** The longest sequence the table covers. */
  readonly maxLength: number;
  /** Dropout probability after the addition (training mode). */
  readonly dropout: number;
  /** `[maxLength, E]` the encoding table. */
  readonly pe: tf.Variable;
  private readonly generator: Generator | undefined;

  /**
   * @param dim `E`, even.
   * @param opts maxLength, dropout, base, generator.
   */
  constructor(dim: number, opts: SinusoidalPositionalEncodingOptions = {}) {
    super();
    const op = 'SinusoidalPositionalEncoding';
    this.dim = checkSize(op, 'dim', dim);
    this.maxLength = checkSize(op, 'options.maxLength', opts.maxLength ?? 5000);
    this.dropout = checkRate(op, 'options.dropout', opts.dropout ?? 0);
    this.generator = opts.generator;
    this.pe = this.registerBuffer('pe', sinusoidalPositionEncoding(this.maxLength, dim, opts.base === undefined ? {} : { base: opts.base }), { persistent: false });
  }

  /** `x [B, T, E]` → `x + pe[:T]` `[B, T, E]` (then dropout in training). */
  forward(x: tf.Tensor): tf.Tensor {
    const op = 'SinusoidalPositionalEncoding.forward';
    checkTensor(op, 'x', x, { rank: [2, 3], dtype: 'float32' });
    const [t, e] = x.shape.slice(-2) as [number, number];
    if (e !== this.dim || t > this.maxLength) {
      throw new FoveaError({ op, arg: 'x', expected: `[B, T, ${this.dim}] with T <= maxLength ${this.maxLength}`, got: `shape ${formatShape(x.shape)}` });
    }
    return tf.tidy(() => {
      const y = tf.add(x, tf.slice(this.pe, [0, 0], [t, e])); // [B, T, E]
      return this.training && this.dropout > 0 ? dropout(y, { p: this.dropout, ...genOpt(this.generator) }) : y;
    });
  }
}
