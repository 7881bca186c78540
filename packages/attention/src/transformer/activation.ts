import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError, gelu, relu } from '@fovea/core';

/**
 * The feed-forward activation of a Transformer layer: `'relu'` (default in
 * PyTorch), `'gelu'` (exact, erf-based, as PyTorch's `F.gelu`) or any
 * function of a tensor.
 *
 * @category Transformer
 */
export type TransformerActivation = 'relu' | 'gelu' | ((x: tf.Tensor) => tf.Tensor);

/** @internal Resolves an activation option to a function. */
export function resolveActivation(op: string, a: TransformerActivation | undefined): (x: tf.Tensor) => tf.Tensor {
  if (a === undefined || a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'function') return a;
  throw new FoveaError({ op, arg: 'options.activation', expected: "'relu', 'gelu' or a function", got: String(a) });
}
