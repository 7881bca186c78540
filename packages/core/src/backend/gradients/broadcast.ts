import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { sumToShape } from './_util.js';

/**
 * Gradients of broadcasting ops. tfjs-core 4.22 returns the gradient of a
 * broadcast operand with the broadcast (output) shape for these kernels,
 * which the engine then rejects ("The gradient of input 'b' has shape
 * '3,7,4', which does not match the shape of the input"); here each is
 * summed back over the broadcast axes, as PyTorch does.
 */

/**
 * BatchMatMul with broadcast batch dims (`[b, m, k] x [k, n]`,
 * `[1, m, k] x [b, k, n]`...): tfjs's formulas, then each gradient summed to
 * its operand's shape.
 */
export const batchMatMulGradConfig: GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    const tA = !!attrs['transposeA'], tB = !!attrs['transposeB'];
    const da = (): tf.Tensor => {
      if (!tA) return tB ? tf.matMul(g, b) : tf.matMul(g, b, false, true); // [.., m, k]
      return tB ? tf.matMul(b, g, true, true) : tf.matMul(b, g, false, true); // [.., k, m]
    };
    const db = (): tf.Tensor => {
      if (!tB) return tA ? tf.matMul(a, g) : tf.matMul(a, g, true, false); // [.., k, n]
      return tA ? tf.matMul(g, a, true, true) : tf.matMul(g, a, true, false); // [.., n, k]
    };
    return { a: () => sumToShape(da(), a.shape), b: () => sumToShape(db(), b.shape) };
  },
};

/** SquaredDifference `(a - b)^2`: `2 (a - b)` and `2 (b - a)`, summed to each operand's shape. */
export const squaredDifferenceGradConfig: GradConfig = {
  kernelName: 'SquaredDifference',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    return {
      a: () => sumToShape(tf.mul(g, tf.mul(tf.scalar(2), tf.sub(a, b))), a.shape),
      b: () => sumToShape(tf.mul(g, tf.mul(tf.scalar(2), tf.sub(b, a))), b.shape),
    };
  },
};

/**
 * Maximum / Minimum: the gradient goes to `a` where `a >= b` (maximum) or
 * `a <= b` (minimum), else to `b` — tfjs's tie rule, kept (PyTorch splits
 * ties in half; `torch.clamp` gives them to the input) — summed to each
 * operand's shape.
 */
function extremumGrad(kernelName: 'Maximum' | 'Minimum'): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const g = dy as tf.Tensor;
      const toA = (): tf.Tensor => (kernelName === 'Maximum' ? tf.greaterEqual(a, b) : tf.lessEqual(a, b));
      return {
        a: () => sumToShape(tf.mul(g, tf.cast(toA(), 'float32')), a.shape),
        b: () => sumToShape(tf.mul(g, tf.cast(tf.logicalNot(toA()), 'float32')), b.shape),
      };
    },
  };
}

export const maximumGradConfig = extremumGrad('Maximum');
export const minimumGradConfig = extremumGrad('Minimum');

/** Prelu `x > 0 ? x : alpha x`, either operand broadcast. */
export const preluGradConfig: GradConfig = {
  kernelName: 'Prelu',
  inputsToSave: ['x', 'alpha'],
  gradFunc: (dy, saved) => {
    const [x, alpha] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    const positive = (): tf.Tensor => tf.greater(x, 0);
    return {
      x: () => sumToShape(tf.where(positive(), g, tf.mul(g, alpha)), x.shape),
      alpha: () => sumToShape(tf.where(positive(), tf.zerosLike(g), tf.mul(g, x)), alpha.shape),
    };
  },
};
