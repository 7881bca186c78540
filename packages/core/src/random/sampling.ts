import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { formatShape } from '../validate/shape.js';
import { defaultGenerator, type Generator } from './generator.js';

/** Options shared by the random tensor factories. @category Random */
export interface RandomOptions {
  /** The generator to draw from (default: {@link defaultGenerator}). */
  generator?: Generator;
}

function sizeOf(op: string, shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new FoveaError({ op, arg: 'shape', expected: 'non-negative integer dims', got: formatShape(shape) });
    }
    n *= d;
  }
  return n;
}

/**
 * Uniform samples in `[low, high)` as a float32 tensor (`torch.rand` scaled).
 *
 * @example
 * ```ts
 * import { uniform, Generator } from '@fovea/core';
 * const x = uniform([2, 2], -1, 1, { generator: new Generator(0) }); // values in [-1, 1)
 * x.dispose();
 * ```
 * @category Random
 */
export function uniform(shape: readonly number[], low = 0, high = 1, opts: RandomOptions = {}): tf.Tensor {
  const g = opts.generator ?? defaultGenerator();
  const n = sizeOf('uniform', shape);
  const out = new Float32Array(n);
  const span = high - low;
  for (let i = 0; i < n; i++) out[i] = low + span * g.random();
  return tf.tensor(out, [...shape], 'float32');
}

/**
 * Uniform samples in `[0, 1)` (`torch.rand`).
 *
 * @example
 * ```ts
 * import { rand } from '@fovea/core';
 * const x = rand([3]); // three values in [0, 1)
 * x.dispose();
 * ```
 * @category Random
 */
export function rand(shape: readonly number[], opts: RandomOptions = {}): tf.Tensor {
  return uniform(shape, 0, 1, opts);
}

/**
 * Normal samples with the given mean and standard deviation (`torch.randn`).
 *
 * @example
 * ```ts
 * import { randn } from '@fovea/core';
 * const w = randn([64, 10], { std: 0.01 }); // small random init, `[64, 10]`
 * w.dispose();
 * ```
 * @category Random
 */
export function randn(
  shape: readonly number[],
  opts: RandomOptions & { mean?: number; std?: number } = {},
): tf.Tensor {
  const g = opts.generator ?? defaultGenerator();
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  const n = sizeOf('randn', shape);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * g.normal();
  return tf.tensor(out, [...shape], 'float32');
}

/**
 * Uniform random integers in `[low, high)` as an int32 tensor (`torch.randint`).
 *
 * @example
 * ```ts
 * import { randint } from '@fovea/core';
 * const labels = randint(0, 10, [8]); // `[8]` int32 in 0..9
 * labels.dispose();
 * ```
 * @category Random
 */
export function randint(low: number, high: number, shape: readonly number[], opts: RandomOptions = {}): tf.Tensor {
  const g = opts.generator ?? defaultGenerator();
  const n = sizeOf('randint', shape);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.randint(low, high);
  return tf.tensor(out, [...shape], 'int32');
}

/**
 * A float32 mask of ones with probability `p` and zeros otherwise (`torch.bernoulli`).
 *
 * @example
 * ```ts
 * import { bernoulli } from '@fovea/core';
 * const keep = bernoulli([4, 4], 0.9); // dropout keep mask
 * keep.dispose();
 * ```
 * @category Random
 */
export function bernoulli(shape: readonly number[], p: number, opts: RandomOptions = {}): tf.Tensor {
  if (!(p >= 0 && p <= 1)) {
    throw new FoveaError({ op: 'bernoulli', arg: 'p', expected: 'a probability in [0, 1]', got: String(p) });
  }
  const g = opts.generator ?? defaultGenerator();
  const n = sizeOf('bernoulli', shape);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.random() < p ? 1 : 0;
  return tf.tensor(out, [...shape], 'float32');
}

/**
 * A random permutation of `0..n-1` (`torch.randperm`), as a plain `Int32Array`.
 *
 * @example
 * ```ts
 * import { randperm, Generator } from '@fovea/core';
 * randperm(5, { generator: new Generator(1) }); // e.g. Int32Array [3, 0, 4, 1, 2]
 * ```
 * @category Random
 */
export function randperm(n: number, opts: RandomOptions = {}): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new FoveaError({ op: 'randperm', arg: 'n', expected: 'a non-negative integer', got: String(n) });
  }
  return (opts.generator ?? defaultGenerator()).permutation(n);
}
