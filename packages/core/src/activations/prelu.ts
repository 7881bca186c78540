import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { checkTensor, formatShape } from '../validate/shape.js';
import { checkNumber } from '../validate/values.js';
import { checkFloat } from './_check.js';

/** Options for {@link prelu}. @category Activations */
export interface PreluOptions {
  /**
   * The channel axis `weight[c]` applies along (negative counts from the end);
   * default -1, the last axis (channels-last `[N, H, W, C]` images, and `[N, C]`
   * features). PyTorch's `NCHW` convention is `channelAxis: 1`.
   */
  channelAxis?: number;
}

/**
 * Parametric ReLU (He et al. 2015), `x` for `x > 0` else `weight[c] · x`
 * (PyTorch's `F.prelu`), with a learnable slope per channel or one shared slope.
 * Differentiable in both `x` and `weight`.
 *
 * @param x float32 tensor, e.g. `[N, H, W, C]` or `[N, C]`.
 * @param weight float32 `[C]` (one slope per channel along `channelAxis`) or `[1]` (shared).
 * @param opts `channelAxis` (default -1: channels last).
 * @returns a tensor shaped like `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { prelu } from '@fovea/core';
 * const x = tf.tensor2d([[-1, -1], [2, 2]]);        // [N=2, C=2]
 * prelu(x, tf.tensor1d([0.1, 0.5])).print();        // [[-0.1, -0.5], [2, 2]]
 * ```
 * @category Activations
 */
export function prelu(x: tf.Tensor, weight: tf.Tensor, opts: PreluOptions = {}): tf.Tensor {
  checkFloat('prelu', 'x', x);
  checkTensor('prelu', 'weight', weight, { rank: 1, dtype: 'float32' });
  const rank = x.rank;
  const axis = checkNumber('prelu', 'options.channelAxis', opts.channelAxis ?? -1, { integer: true, min: -Math.max(rank, 1), max: Math.max(rank - 1, 0) });
  const ax = axis < 0 ? axis + rank : axis;
  const channels = rank === 0 ? 1 : x.shape[ax]!;
  if (weight.shape[0] !== 1 && weight.shape[0] !== channels) {
    throw new FoveaError({
      op: 'prelu',
      arg: 'weight',
      expected: `shape [1] or [${channels}] (channels on axis ${ax} of x ${formatShape(x.shape)})`,
      got: `shape ${formatShape(weight.shape)}`,
    });
  }
  return tf.tidy(() => {
    if (x.size === 0) return emptyPrelu(x, weight);
    const bshape = x.shape.map((_, i) => (i === ax ? weight.shape[0]! : 1));
    const w = rank === 0 ? tf.reshape(weight, []) : tf.reshape(weight, bshape); // [1, …, C, …, 1]
    // where(x > 0, x, w·x) written with a step mask: tfjs cannot differentiate through the comparison of a where
    const pos = tf.step(x); // 1 where x > 0, else 0
    return tf.mul(x, tf.add(pos, tf.mul(w, tf.sub(1, pos))));
  });
}

/** Empty input: an empty output with zero gradients (tfjs cannot reduce a broadcast gradient over a 0-sized dim). */
function emptyPrelu(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, w] = args as [tf.Tensor, tf.Tensor];
    return { value: tf.zerosLike(a), gradFunc: () => [tf.zerosLike(a), tf.zerosLike(w)] };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(x, weight);
}

/** Options for {@link PReLU}. @category Activations */
export interface PReLUOptions {
  /** Number of learnable slopes: 1 (shared) or the channel count; default 1. */
  numParameters?: number;
  /** Initial slope; default 0.25. */
  init?: number;
  /** The channel axis; default -1 (channels last). See {@link PreluOptions.channelAxis}. */
  channelAxis?: number;
}

/**
 * PReLU as a module with a learnable `weight` `[numParameters]` (PyTorch's
 * `nn.PReLU`, same state-dict key and layout). See {@link prelu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PReLU } from '@fovea/core';
 * const act = new PReLU({ numParameters: 3 });      // weight [3], all 0.25
 * act.forward(tf.fill([1, 3], -4)).print();          // [[-1, -1, -1]]
 * act.dispose();
 * ```
 * @category Activations
 */
export class PReLU extends Module<[tf.Tensor], tf.Tensor> {
  /** The slopes, `[numParameters]`. */
  readonly weight: Parameter;
  /** The channel axis the slopes apply along. */
  readonly channelAxis: number;

  constructor(opts: PReLUOptions = {}) {
    super();
    const n = checkNumber('PReLU', 'options.numParameters', opts.numParameters ?? 1, { integer: true, min: 1 });
    const init = checkNumber('PReLU', 'options.init', opts.init ?? 0.25);
    this.channelAxis = checkNumber('PReLU', 'options.channelAxis', opts.channelAxis ?? -1, { integer: true });
    this.weight = this.registerParameter('weight', tf.fill([n], init));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return prelu(x, this.weight, { channelAxis: this.channelAxis });
  }
}
