/** Private helper: the tensors a penalty sums over. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { Module } from '../nn/module.js';
import { safeSum } from '../losses/_common.js';
import { checkTensor } from '../validate/shape.js';

/**
 * What a penalty is computed over: one tensor, a list of tensors, or a
 * {@link Module} (all its parameters).
 *
 * @category Regularization
 */
export type Weights = tf.Tensor | readonly tf.Tensor[] | Module;

/** The float32 tensors of `w`, checked. @internal */
export function weightList(op: string, w: Weights): tf.Tensor[] {
  const list: tf.Tensor[] = w instanceof Module ? w.parameters() : Array.isArray(w) ? [...(w as readonly tf.Tensor[])] : [w as tf.Tensor];
  if (!(w instanceof Module) && !Array.isArray(w)) checkTensor(op, 'w', w, { dtype: 'float32' });
  list.forEach((t, i) => {
    if (t === undefined || t === null) throw new FoveaError({ op, arg: `w[${i}]`, expected: 'a tf.Tensor', got: String(t) });
    checkTensor(op, Array.isArray(w) ? `w[${i}]` : 'w', t, { dtype: 'float32' });
  });
  return list;
}

/** `Σ_t sum(term(t))` as a scalar. @internal */
export function total(list: tf.Tensor[], term: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => list.reduce<tf.Tensor>((acc, t) => tf.add(acc, safeSum(term(t))), tf.scalar(0)));
}
