import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * Einsum (tfjs-core 4.22 has no gradient for it). The gradient of operand
 * `i` is itself an einsum: the incoming gradient (subscripts of the output)
 * contracted with the other operands onto operand `i`'s subscripts; a
 * subscript that only operand `i` has (summed away in the forward pass) is
 * broadcast back. tfjs's einsum takes one or two operands, without repeated
 * subscripts within one, so these einsums always exist.
 */
function gradOf(i: number, subs: string[], out: string, operands: tf.Tensor[], dy: tf.Tensor): tf.Tensor {
  const target = subs[i]!;
  const x = operands[i]!;
  const terms: string[] = [];
  const tensors: tf.Tensor[] = [];
  if (out.length > 0) {
    terms.push(out);
    tensors.push(dy);
  }
  operands.forEach((t, j) => {
    if (j !== i) {
      terms.push(subs[j]!);
      tensors.push(t);
    }
  });
  const available = new Set(terms.join(''));
  const keep = [...target].filter((l) => available.has(l)).join('');
  let g: tf.Tensor;
  if (terms.length === 0) g = dy; // a single operand summed to a scalar
  else if (terms.length === 1 && terms[0] === keep) g = tensors[0]!;
  else g = tf.einsum(`${terms.join(',')}->${keep}`, ...tensors);
  if (out.length === 0 && terms.length > 0) g = tf.mul(g, dy); // the scalar output's gradient was left out of the einsum
  const kept = [...target].map((l, k) => (available.has(l) ? x.shape[k]! : 1));
  return tf.broadcastTo(tf.reshape(g, kept), x.shape);
}

/** Einsum: each operand's gradient as an einsum of the incoming gradient with the other operands. */
export const einsumGradConfig: GradConfig = {
  kernelName: 'Einsum',
  saveAllInputs: true,
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const equation = (attrs['equation'] as string).replace(/\s/g, '');
    const [lhs, out = ''] = equation.split('->');
    const subs = lhs!.split(',');
    const g = dy as tf.Tensor;
    const grads: Record<string, () => tf.Tensor> = {};
    saved.forEach((_, i) => {
      grads[i] = () => gradOf(i, subs, out, saved, g);
    });
    return grads;
  },
};
