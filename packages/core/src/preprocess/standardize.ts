import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { featureMean } from './_mean.js';

/** Options for {@link standardize} and {@link Standardizer}. @category Preprocessing */
export interface StandardizeOptions {
  /** Added to the variance inside the square root, `std = √(var + eps)`; default 0. Use e.g. 1e-8 when a feature may be constant. */
  eps?: number;
}

/** What {@link standardize} returns (the caller disposes all three). @category Preprocessing */
export interface StandardizeResult {
  /** `[N, ...F]` standardized data `(x - mean) / std`. */
  y: tf.Tensor;
  /** `[...F]` per-feature mean. */
  mean: tf.Tensor;
  /** `[...F]` per-feature `√(var + eps)`, population variance (÷ N). */
  std: tf.Tensor;
}

function checkX(op: string, x: unknown): asserts x is tf.Tensor {
  checkTensor(op, 'x', x, { dtype: 'float32', minRank: 1 });
  if (x.shape[0] === 0) throw new FoveaError({ op, arg: 'x', expected: 'at least one row [N >= 1, ...]', got: `shape ${formatShape(x.shape)}` });
}

function stats(x: tf.Tensor, eps: number): { mean: tf.Tensor; std: tf.Tensor } {
  return tf.tidy(() => {
    const mean = featureMean(x); // [...F]
    const variance = tf.mean(tf.square(tf.sub(x, mean)), 0); // two-pass: exact for offset features
    return { mean, std: tf.sqrt(tf.add(variance, eps)) };
  });
}

/**
 * Zero-mean, unit-variance features: `mean = x.mean(0)`,
 * `std = √(((x - mean)²).mean(0) + eps)` (population variance, two-pass, **eps inside the root**),
 * `y = (x - mean) / std`. Statistics are per feature, over the first axis. Use
 * {@link Standardizer} to apply training statistics to test data.
 *
 * @param x float32 `[N, ...F]`, e.g. `[N, D]` features or `[N, H, W, C]` images (per-pixel statistics).
 * @param opts `eps` (default 0).
 * @returns `{ y, mean, std }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { standardize } from '@fovea/core';
 * const { y, mean, std } = standardize(tf.tensor2d([[1, 10], [3, 30]]));
 * y.print();    // [[-1, -1], [1, 1]]
 * mean.print(); // [2, 20]
 * std.print();  // [1, 10]
 * ```
 * @category Preprocessing
 */
export function standardize(x: tf.Tensor, opts: StandardizeOptions = {}): StandardizeResult {
  checkX('standardize', x);
  const eps = checkNumber('standardize', 'options.eps', opts.eps ?? 0, { min: 0 });
  const { mean, std } = stats(x, eps);
  const y = tf.tidy(() => tf.div(tf.sub(x, mean), std));
  return { y, mean, std };
}

/**
 * Standardization with `fit` / `transform` (scikit-learn's `StandardScaler`):
 * fit the per-feature mean and std on training data, apply them to any data.
 * Owns its `mean` and `std`; call `dispose()` when done. See {@link standardize}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Standardizer } from '@fovea/core';
 * const s = new Standardizer({ eps: 1e-8 }).fit(tf.tensor2d([[0], [2]]));
 * s.transform(tf.tensor2d([[4]])).print(); // [[3]]
 * s.dispose();
 * ```
 * @category Preprocessing
 */
export class Standardizer {
  /** The variance offset. */
  readonly eps: number;
  private stats: { mean: tf.Tensor; std: tf.Tensor } | null = null;

  constructor(opts: StandardizeOptions = {}) {
    this.eps = checkNumber('Standardizer', 'options.eps', opts.eps ?? 0, { min: 0 });
  }

  /** Fits the statistics of `x` `[N, ...F]` (replacing earlier ones); returns this. */
  fit(x: tf.Tensor): this {
    checkX('Standardizer.fit', x);
    const next = stats(x, this.eps);
    this.dispose();
    this.stats = next;
    return this;
  }

  private fitted(op: string): { mean: tf.Tensor; std: tf.Tensor } {
    if (!this.stats) throw new FoveaError({ op, arg: 'this', expected: 'a fitted Standardizer (call fit first)', got: 'an unfitted one' });
    return this.stats;
  }

  private checkFeatures(op: string, x: unknown): asserts x is tf.Tensor {
    const { mean } = this.fitted(op);
    checkTensor(op, 'x', x, { dtype: 'float32', shape: [null, ...mean.shape] });
  }

  /** `(x - mean) / std` for `x` `[M, ...F]`. */
  transform(x: tf.Tensor): tf.Tensor {
    this.checkFeatures('Standardizer.transform', x);
    const { mean, std } = this.stats!;
    return tf.tidy(() => tf.div(tf.sub(x, mean), std));
  }

  /** `y · std + mean`, undoing {@link Standardizer.transform}. */
  inverseTransform(y: tf.Tensor): tf.Tensor {
    this.checkFeatures('Standardizer.inverseTransform', y);
    const { mean, std } = this.stats!;
    return tf.tidy(() => tf.add(tf.mul(y, std), mean));
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: tf.Tensor): tf.Tensor {
    return this.fit(x).transform(x);
  }

  /** `[...F]` fitted mean (owned by this object). */
  get mean(): tf.Tensor {
    return this.fitted('Standardizer.mean').mean;
  }

  /** `[...F]` fitted std (owned by this object). */
  get std(): tf.Tensor {
    return this.fitted('Standardizer.std').std;
  }

  /** Releases the fitted statistics. */
  dispose(): void {
    if (this.stats) tf.dispose([this.stats.mean, this.stats.std]);
    this.stats = null;
  }
}
