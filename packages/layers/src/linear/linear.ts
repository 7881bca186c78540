import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  Module,
  checkNumber,
  checkTensor,
  defaultBiasInit,
  defaultWeightInit,
  formatShape,
  linearWeightLayout,
  type Generator,
  type Parameter,
} from '@fovea/core';
import { connectedZeros } from '../_internal/args.js';

/**
 * A fully connected layer's map, PyTorch's `F.linear`: `y = x · W + b` over
 * the last dimension.
 *
 * @param x `[..., D_in]` features (any number of leading dims).
 * @param weight `[D_in, D_out]` (PyTorch's `[out, in]` through `linearWeightLayout`).
 * @param bias `[D_out]` or `null`.
 * @returns `[..., D_out]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { linear } from '@fovea/layers';
 * const y = linear(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]));
 * y.shape; // [2, 4], every value 3
 * ```
 * @category Linear
 */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null): tf.Tensor {
  const op = 'linear';
  checkTensor(op, 'x', x, { minRank: 1, dtype: 'float32' });
  checkTensor(op, 'weight', weight, { rank: 2, dtype: 'float32' });
  const [din, dout] = weight.shape as [number, number];
  const xin = x.shape[x.rank - 1]!;
  if (xin !== din) {
    throw new FoveaError({ op, arg: 'x', expected: `[..., ${din}] (weight is [D_in, D_out] = ${formatShape(weight.shape)})`, got: `shape ${formatShape(x.shape)}` });
  }
  if (bias !== null) checkTensor(op, 'bias', bias, { shape: [dout], dtype: 'float32' });
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  if (rows === 0 || din === 0 || dout === 0) {
    return tf.tidy(() => {
      const z = connectedZeros([...lead, dout], [x, weight]);
      return bias ? tf.add(z, bias) : z;
    });
  }
  return tf.tidy(() => {
    const x2 = x.rank === 2 ? x : tf.reshape(x, [rows, din]); // [rows, D_in]
    const y = tf.matMul(x2, weight); // [rows, D_out]
    const yb = bias ? tf.add(y, bias) : y;
    return x.rank === 2 ? yb : tf.reshape(yb, [...lead, dout]); // [..., D_out]
  });
}

/** Options for the {@link Linear} module. @category Linear */
export interface LinearOptions {
  /** Learn an additive bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A fully connected layer (PyTorch's `nn.Linear`): parameters `weight`
 * (PyTorch `[out, in]`, stored `[in, out]`) and `bias` `[out]`, initialised as
 * PyTorch does (`U(±1/√in)`). See {@link linear}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Linear } from '@fovea/layers';
 * const fc = new Linear(784, 10);
 * fc.forward(tf.zeros([32, 784])).shape; // [32, 10]
 * fc.stateDict()['weight'].shape; // [10, 784]
 * ```
 * @category Linear
 */
export class Linear extends Module<[tf.Tensor], tf.Tensor> {
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;
  /** Input features `D_in`. */
  readonly inFeatures: number;
  /** Output features `D_out`. */
  readonly outFeatures: number;

  /**
   * @param inFeatures `D_in`.
   * @param outFeatures `D_out`.
   * @param opts bias, generator.
   */
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = checkNumber('Linear', 'inFeatures', inFeatures, { integer: true, min: 0 });
    this.outFeatures = checkNumber('Linear', 'outFeatures', outFeatures, { integer: true, min: 0 });
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.weight = this.registerParameter('weight', defaultWeightInit([inFeatures, outFeatures], { layout: linearWeightLayout, ...gen }), {
      layout: linearWeightLayout,
    });
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', defaultBiasInit([outFeatures], inFeatures, gen));
  }

  /** `x [..., in]` → `[..., out]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return linear(x, this.weight, this.bias);
  }
}
