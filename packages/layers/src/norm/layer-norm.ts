import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, type Parameter } from '@fovea/core';

function normalizedDims(op: string, shape: unknown): number[] {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims) || dims.length === 0) {
    throw new FoveaError({ op, arg: 'normalizedShape', expected: 'an int or a non-empty array of ints', got: String(shape) });
  }
  return dims.map((d, i) => checkNumber(op, `normalizedShape[${i}]`, d, { integer: true, min: 1 }));
}

/**
 * Layer normalisation, PyTorch's `F.layer_norm`: each sample is normalised
 * over its trailing `normalizedShape` dims with the biased variance (eps inside
 * the square root), then scaled and shifted elementwise. Differentiable.
 *
 * @param x `[..., *normalizedShape]`.
 * @param normalizedShape the trailing dims to normalise over, `int or int[]`.
 * @param weight `normalizedShape` scale, or `null`.
 * @param bias `normalizedShape` shift, or `null`.
 * @param eps added to the variance; default 1e-5.
 * @returns the same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layerNorm } from '@fovea/layers';
 * layerNorm(tf.tensor2d([[1, 3]]), 2).arraySync(); // ≈ [[-1, 1]]
 * ```
 * @category Normalization
 */
export function layerNorm(
  x: tf.Tensor,
  normalizedShape: number | readonly number[],
  weight: tf.Tensor | null = null,
  bias: tf.Tensor | null = null,
  eps = 1e-5,
): tf.Tensor {
  const op = 'layerNorm';
  const dims = normalizedDims(op, normalizedShape);
  checkTensor(op, 'x', x, { minRank: dims.length, dtype: 'float32' });
  const tail = x.shape.slice(x.rank - dims.length);
  if (tail.some((d, i) => d !== dims[i])) {
    throw new FoveaError({ op, arg: 'x', expected: `trailing dims ${formatShape(dims)}`, got: `shape ${formatShape(x.shape)}` });
  }
  if (weight) checkTensor(op, 'weight', weight, { shape: dims, dtype: 'float32' });
  if (bias) checkTensor(op, 'bias', bias, { shape: dims, dtype: 'float32' });
  checkNumber(op, 'eps', eps, { min: 0 });
  if (x.size === 0) return tf.tidy(() => tf.mul(x, 1));
  const d = dims.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, d]); // [rows, D]
    const mean = tf.mean(x2, 1, true);
    const centred = tf.sub(x2, mean);
    const variance = tf.mean(tf.square(centred), 1, true); // biased
    let y = tf.mul(centred, tf.rsqrt(tf.add(variance, eps)));
    if (weight) y = tf.mul(y, tf.reshape(weight, [d]));
    if (bias) y = tf.add(y, tf.reshape(bias, [d]));
    return tf.reshape(y, x.shape);
  });
}

/** Options for the {@link LayerNorm} module. @category Normalization */
export interface LayerNormOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Learn elementwise `weight` (init 1) and `bias` (init 0); default `true`. */
  elementwiseAffine?: boolean;
}

/**
 * A layer-normalisation layer (PyTorch's `nn.LayerNorm`) with parameters
 * `weight` and `bias` of shape `normalizedShape`. See {@link layerNorm}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LayerNorm } from '@fovea/layers';
 * const ln = new LayerNorm(64);
 * ln.forward(tf.randomNormal([2, 10, 64])).shape; // [2, 10, 64]
 * ```
 * @category Normalization
 */
export class LayerNorm extends Module<[tf.Tensor], tf.Tensor> {
  /** The trailing dims it normalises over. */
  readonly normalizedShape: number[];
  /** Added to the variance. */
  readonly eps: number;
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter | null;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;

  /**
   * @param normalizedShape the trailing dims, `int or int[]`.
   * @param opts eps, elementwiseAffine.
   */
  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    this.normalizedShape = normalizedDims('LayerNorm', normalizedShape);
    this.eps = checkNumber('LayerNorm', 'options.eps', opts.eps ?? 1e-5, { min: 0 });
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? this.registerParameter('weight', tf.ones(this.normalizedShape)) : this.registerParameter('weight', null);
    this.bias = affine ? this.registerParameter('bias', tf.zeros(this.normalizedShape)) : this.registerParameter('bias', null);
  }

  /** `x [..., *normalizedShape]` → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
