import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor } from '@fovea/core';

/** Gradients as the clipping functions take them: a list, or a map by variable name (what `tf.variableGrads` returns). @category Clipping */
export type GradList = tf.Tensor[] | tf.NamedTensorMap;

/** Splits a list or name map into keys and tensors (validated), and rebuilds the same structure. */
export function unpackGrads(op: string, grads: GradList): { tensors: tf.Tensor[]; pack: (ts: tf.Tensor[]) => GradList } {
  if (Array.isArray(grads)) {
    grads.forEach((g, i) => checkTensor(op, `grads[${i}]`, g, { dtype: 'float32' }));
    return { tensors: grads, pack: (ts) => ts };
  }
  if (typeof grads !== 'object' || grads === null) {
    throw new FoveaError({ op, arg: 'grads', expected: 'an array of tensors or a map of name to tensor', got: grads === null ? 'null' : typeof grads });
  }
  const keys = Object.keys(grads);
  keys.forEach((k) => checkTensor(op, `grads['${k}']`, grads[k], { dtype: 'float32' }));
  return {
    tensors: keys.map((k) => grads[k]!),
    pack: (ts) => Object.fromEntries(keys.map((k, i) => [k, ts[i]!])),
  };
}
