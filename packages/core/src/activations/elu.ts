import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../nn/module.js';
import { checkNumber } from '../validate/values.js';
import { checkFloat } from './_check.js';
import { unaryCustomGrad } from './_custom-grad.js';

/**
 * `scale · (x if x > 0 else alpha · (exp(x) - 1))` with PyTorch's gradient
 * (`scale · alpha · exp(x)` for `x ≤ 0`), safe for large inputs. @internal
 */
export function scaledElu(x: tf.Tensor, alpha: number, scale: number): tf.Tensor {
  const f = unaryCustomGrad((input, save) => {
    const pos = tf.greater(input, 0);
    const neg = tf.minimum(input, 0); // expm1 never sees large positives
    const value = tf.mul(tf.where(pos, input, tf.mul(tf.expm1(neg), alpha)), scale);
    save([pos, neg]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [p, n] = saved as [tf.Tensor, tf.Tensor];
        return tf.mul(tf.where(p, dy, tf.mul(dy, tf.mul(tf.exp(n), alpha))), scale);
      },
    };
  });
  return tf.tidy(() => f(x));
}

/**
 * Exponential linear unit (Clevert et al. 2015), `x` for `x > 0` else
 * `alpha · (exp(x) - 1)` (PyTorch's `F.elu`).
 *
 * @param x float32 tensor, any shape.
 * @param alpha the negative saturation value's magnitude; default 1.
 * @returns a tensor of the same shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elu } from '@fovea/core';
 * elu(tf.tensor1d([-100, 2])).print(); // [-1, 2]
 * ```
 * @category Activations
 */
export function elu(x: tf.Tensor, alpha = 1): tf.Tensor {
  checkFloat('elu', 'x', x);
  const a = checkNumber('elu', 'alpha', alpha);
  return scaledElu(x, a, 1);
}

/** Options for {@link ELU}. @category Activations */
export interface ELUOptions {
  /** Negative saturation magnitude; default 1. */
  alpha?: number;
}

/**
 * ELU as a module (PyTorch's `nn.ELU`). See {@link elu}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ELU } from '@fovea/core';
 * new ELU({ alpha: 0.5 }).forward(tf.tensor1d([-100])).print(); // [-0.5]
 * ```
 * @category Activations
 */
export class ELU extends Module<[tf.Tensor], tf.Tensor> {
  /** Negative saturation magnitude. */
  readonly alpha: number;

  constructor(opts: ELUOptions = {}) {
    super();
    this.alpha = checkNumber('ELU', 'options.alpha', opts.alpha ?? 1);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return elu(x, this.alpha);
  }
}
